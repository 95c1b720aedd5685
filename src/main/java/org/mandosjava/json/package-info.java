/** The one strict JSON codec: etcd's gateway, the cluster's client records, the audit file's lines. */
package org.mandosjava.json;

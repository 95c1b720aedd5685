/**
 * {@code mandos-keygen}: the options, defaults and output of 1.8.16, plus {@code --test} and
 * {@code --secfile} from its TODO list. Entry point {@link org.mandosjava.tools.keygen.KeygenMain#run}.
 */
package org.mandosjava.tools.keygen;

package org.mandosjava.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The properties introspection declares are the table's; ours only on the current interface. */
class ClientPropertyTest {
    @Test
    void introspectionDeclaresEveryPropertyAndOursOnlyOnTheCurrentInterface() throws Exception {
        List<String> all = ClientProperty.ALL.stream().map(p -> p.dbusName).toList();
        List<String> original = ClientProperty.ALL.stream().filter(p -> !p.ours()).map(p -> p.dbusName).toList();
        assertThat(declared(DBusNames.CLIENT_INTERFACE)).isEqualTo(all).contains("KeyExpires");
        assertThat(declared(DBusNames.OLD_CLIENT_INTERFACE)).isEqualTo(original).doesNotContain("KeyExpires")
                .hasSize(22); // the original's 21 readable ones and the write-only Secret
    }

    @Test
    void keyExpiresIsAWritableTimestamp() {
        ClientProperty p = ClientProperty.byName("KeyExpires");
        assertThat(p).isEqualTo(ClientProperty.KEY_EXPIRES);
        assertThat(p.signature).isEqualTo("s");
        assertThat(p.readable()).isTrue();
        assertThat(p.writable()).isTrue();
        assertThat(p.on("")).isTrue();
        assertThat(p.on(DBusNames.CLIENT_INTERFACE)).isTrue();
        assertThat(p.on(DBusNames.OLD_CLIENT_INTERFACE)).isFalse();
        assertThat(ClientProperty.TIMEOUT.on(DBusNames.OLD_CLIENT_INTERFACE)).isTrue();
        assertThat(ClientProperty.TIMEOUT.on("org.example.Other")).isFalse();
    }

    private static List<String> declared(String iface) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                Introspection.client("/clients/foo").getBytes(StandardCharsets.UTF_8)));
        NodeList interfaces = doc.getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            Element e = (Element) interfaces.item(i);
            if (!e.getAttribute("name").equals(iface)) continue;
            List<String> names = new ArrayList<>();
            NodeList properties = e.getElementsByTagName("property");
            for (int j = 0; j < properties.getLength(); j++) names.add(((Element) properties.item(j)).getAttribute("name"));
            return names;
        }
        throw new AssertionError("no interface " + iface);
    }
}

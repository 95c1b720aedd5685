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

/** Every method the introspection data declares has exactly one table entry, and nothing else has one. */
class MemberTableTest {
    private static final String CLIENT_PATH = "/clients/foo";

    private final ExportedClients exported = new ExportedClients();
    private final MethodDispatcher dispatcher = new MethodDispatcher(null, exported, new CommonMembers(exported),
            new ServerObject(null, exported, null), new ClientObject(null), () -> false);

    @Test
    void serverTableIsWhatServerIntrospectionDeclares() throws Exception {
        assertThat(entries(dispatcher.server)).containsExactlyInAnyOrderElementsOf(declared(Introspection.server()));
        assertThat(entries(dispatcher.server)).doesNotHaveDuplicates();
    }

    @Test
    void clientTableIsWhatClientIntrospectionDeclares() throws Exception {
        assertThat(entries(dispatcher.client))
                .containsExactlyInAnyOrderElementsOf(declared(Introspection.client(CLIENT_PATH)));
        assertThat(entries(dispatcher.client)).doesNotHaveDuplicates();
    }

    @Test
    void pathsWithoutObjectAnswerWhatTheClientsNodeDeclares() throws Exception {
        assertThat(entries(dispatcher.anyPath))
                .containsExactlyInAnyOrderElementsOf(declared(Introspection.clientsNode(List.of())));
    }

    @Test
    void addClientIsOnlyOnTheCurrentInterfaceButFoundWithoutOne() {
        assertThat(dispatcher.server.lookup(DBusNames.SERVER_INTERFACE, "AddClient", "sa{ss}")).isNotNull();
        assertThat(dispatcher.server.lookup(DBusNames.OLD_SERVER_INTERFACE, "AddClient", "sa{ss}")).isNull();
        assertThat(dispatcher.server.lookup(null, "AddClient", "sa{ss}")).isNotNull();
        assertThat(dispatcher.client.lookup(null, "Approve", "b").iface()).isEqualTo(DBusNames.CLIENT_INTERFACE);
    }

    @Test
    void unknownMethodIsTheOriginalsError() {
        DBusError e = dispatcher.client.unknownMethod(DBusNames.CLIENT_INTERFACE, "Frobnicate", "");
        assertThat(e.name()).isEqualTo("org.freedesktop.DBus.Error.UnknownMethod");
        assertThat(e.getMessage())
                .isEqualTo("Unknown method: Frobnicate is not a valid method of interface se.recompile.Mandos.Client");
        assertThat(dispatcher.server.unknownMethod(null, "Frobnicate", "").getMessage())
                .isEqualTo("Unknown method: Frobnicate is not a valid method");
        DBusError wrongArgs = dispatcher.client.unknownMethod(null, "Approve", "s");
        assertThat(wrongArgs.name()).isEqualTo("org.freedesktop.DBus.Error.UnknownMethod");
        assertThat(wrongArgs.getMessage()).isEqualTo(
                "No such method 'Approve' with signature 's' in interface 'se.recompile.Mandos.Client'");
    }

    private static List<String> entries(MemberTable table) {
        return table.members().stream().map(m -> m.iface() + "." + m.name() + "(" + m.signature() + ")").toList();
    }

    /** interface.method(in-signature) for every method of the node's own interfaces (child nodes aside). */
    private static List<String> declared(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        List<String> out = new ArrayList<>();
        NodeList interfaces = doc.getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            Element iface = (Element) interfaces.item(i);
            NodeList methods = iface.getElementsByTagName("method");
            for (int j = 0; j < methods.getLength(); j++) {
                Element method = (Element) methods.item(j);
                StringBuilder signature = new StringBuilder();
                NodeList args = method.getElementsByTagName("arg");
                for (int k = 0; k < args.getLength(); k++) {
                    Element arg = (Element) args.item(k);
                    if ("in".equals(arg.getAttribute("direction"))) signature.append(arg.getAttribute("type"));
                }
                out.add(iface.getAttribute("name") + "." + method.getAttribute("name") + "(" + signature + ")");
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}

package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.Frame;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The list of offered sockets travels in one EXPORTS frame, which the peer refuses past its size limit. */
class ExportsFrameTest {
    private static List<SocketExport> sockets(int count) {
        List<SocketExport> exports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            exports.add(new SocketExport("/var/lib/libvirt/qemu/domain-" + i + "-guest/monitor.sock", SocketType.STREAM, 0600, 0, 0));
        }
        return exports;
    }

    private static List<SocketExport> roundTrip(List<SocketExport> exports) throws Exception {
        byte[] payload = ControlLink.encode(exports);
        assertThat(payload.length).isLessThanOrEqualTo(Frame.MAX_PAYLOAD);
        return ControlLink.decode(new Frame(UdsFrame.EXPORTS, 0, MemorySegment.ofArray(payload)));
    }

    @Test
    void aListThatFitsArrivesWhole() throws Exception {
        assertThat(roundTrip(sockets(1_000))).isEqualTo(sockets(1_000));
    }

    @Test
    void aListLongerThanAFrameCarriesIsCutToWhatFitsInsteadOfBeingRefusedByThePeer() throws Exception {
        List<SocketExport> all = sockets(30_000);
        List<SocketExport> offered = roundTrip(all);
        assertThat(offered).hasSizeBetween(10_000, 29_999).isEqualTo(all.subList(0, offered.size()));
    }
}

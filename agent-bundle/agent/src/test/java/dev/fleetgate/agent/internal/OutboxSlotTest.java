package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.MetricsOutbox;
import dev.fleetgate.agent.internal.SyncLoopMetricsTest.QueueOutbox;

/**
 * The accepted batches when two syncs (long-poll and push) are under way at once: the answer to one may
 * confirm the batch the other still carries.
 */
class OutboxSlotTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final QueueOutbox box = new QueueOutbox();
    private final OutboxSlot slot = new OutboxSlot();

    private MetricsOutbox.Batch batch(long id) {
        return new MetricsOutbox.Batch(id, mapper.createArrayNode());
    }

    @Test
    void aBatchConfirmedByAnotherSyncsAnswerIsAcknowledgedWhenItsOwnSyncEnds() {
        slot.set(box);
        box.add(batch(1));
        box.add(batch(2));
        MetricsOutbox.Batch held = slot.take(box); // the long-poll
        MetricsOutbox.Batch pushed = slot.take(box); // the push, answered first
        slot.answered(box, pushed, List.of(1L), List.of(), 0);
        assertEquals(List.of(), box.acknowledged(), "the long-poll still carries it");
        assertEquals(List.of(2L), slot.acceptedIds());
        slot.answered(box, held, List.of(), List.of(), 0);
        assertEquals(List.of(1L), box.acknowledged(), "not accepted: it was confirmed already");
        assertEquals(List.of(2L), slot.acceptedIds());
        assertEquals(List.of(), box.givenBack());
    }

    @Test
    void aBatchConfirmedByAnotherSyncsAnswerIsAcknowledgedEvenWhenItsOwnSyncFails() {
        slot.set(box);
        box.add(batch(1));
        box.add(batch(2));
        MetricsOutbox.Batch held = slot.take(box);
        MetricsOutbox.Batch pushed = slot.take(box);
        slot.answered(box, pushed, List.of(1L), List.of(), 0);
        slot.failed(box, held);
        assertEquals(List.of(1L), box.acknowledged(), "the core stored it");
        assertEquals(List.of(2L), box.givenBack(), "the accepted one may be lost");
        assertEquals(0, box.inFlight());
    }

    @Test
    void aBatchOfAnOutboxReplacedDuringItsSyncIsGivenBackNotAccepted() {
        slot.set(box);
        box.add(batch(1));
        MetricsOutbox.Batch batch = slot.take(box);
        slot.set(new QueueOutbox());
        slot.answered(box, batch, List.of(), List.of(), 0);
        assertEquals(List.of(), slot.acceptedIds());
        assertEquals(List.of(1L), box.givenBack());
    }
}

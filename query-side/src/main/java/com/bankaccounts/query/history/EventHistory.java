package com.bankaccounts.query.history;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration;
import com.bankaccounts.platform.security.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * A resource's history read from the event store (not from a read model), for its owner and the admin: anyone
 * else, like an unknown id, gets the resource's 404.
 */
@Component
public class EventHistory {

    private final EventStore eventStore;

    public EventHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public record History(List<HistoryEntry> items) {
    }

    /**
     * The aggregate's events, when its first one is a {@code creation} event that the caller may see.
     *
     * @param accountOf the owning account, read from the creation event
     * @param shown     whether this endpoint shows such a resource at all (an older face's resources are not)
     */
    public <C> List<DomainEventMessage<?>> events(Caller caller, String aggregateId, Class<C> creation,
                                                 Function<C, String> accountOf, Predicate<C> shown,
                                                 ErrorCode notFound) {
        if (!Ids.isWellFormed(aggregateId)) {
            throw new NotFoundException(notFound);
        }
        // From sequence 0 explicitly: readEvents(id) would start at a snapshot, leaving out what came before it.
        DomainEventStream stream = eventStore.readEvents(aggregateId, 0L);
        List<DomainEventMessage<?>> events = new ArrayList<>();
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (events.isEmpty() && !(creation.isInstance(event.getPayload())
                    && shown.test(creation.cast(event.getPayload()))
                    && caller.canAccess(accountOf.apply(creation.cast(event.getPayload()))))) {
                throw new NotFoundException(notFound);
            }
            events.add(event);
        }
        if (events.isEmpty()) {
            throw new NotFoundException(notFound);
        }
        return events;
    }

    public <C> History history(Caller caller, String aggregateId, Class<C> creation, Function<C, String> accountOf,
                               ErrorCode notFound) {
        return history(caller, aggregateId, creation, accountOf, created -> true, notFound);
    }

    public <C> History history(Caller caller, String aggregateId, Class<C> creation, Function<C, String> accountOf,
                               Predicate<C> shown, ErrorCode notFound) {
        return new History(events(caller, aggregateId, creation, accountOf, shown, notFound).stream()
                .map(EventHistory::entry).toList());
    }

    public static HistoryEntry entry(DomainEventMessage<?> event) {
        Object payload = event.getPayload();
        return new HistoryEntry(event.getIdentifier(), event.getSequenceNumber(),
                HistoryEvents.typeOf(payload.getClass(), event.getType()), Timestamps.format(event.getTimestamp()),
                metaData(event, AxonJdbcConfiguration.PRINCIPAL), metaData(event, AxonJdbcConfiguration.REQUEST_ID),
                HistoryEvents.changesOf(payload));
    }

    private static String metaData(DomainEventMessage<?> event, String key) {
        Object value = event.getMetaData().get(key);
        return value == null ? null : value.toString();
    }
}

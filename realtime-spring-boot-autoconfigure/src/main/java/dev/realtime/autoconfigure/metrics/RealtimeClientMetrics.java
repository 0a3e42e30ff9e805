/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.autoconfigure.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ConnectionStateListener;
import dev.realtime.client.ConnectionTimingListener;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * {@link MeterBinder} for the connection of a {@link RealtimeClient}. Every meter is
 * tagged with {@code connection}, the name of the connection ({@code default} for the
 * client of {@code realtime.*}), and with the tags given to the binder.
 * <ul>
 * <li>{@code realtime.connection.state}, a gauge per {@link ConnectionState} (tag
 * {@code state}, such as {@code connected}) that reads 1 for the current state and 0 for
 * every other. It reads the state the connection last cached and never touches the
 * network.</li>
 * <li>{@code realtime.connection.transitions}, a counter per legal change of state (tags
 * {@code from} and {@code to}). Updates of a connected connection are not
 * transitions.</li>
 * <li>{@code realtime.connection.errors}, a counter of the state changes and updates that
 * carry a reason (tags {@code code} and {@code status} from the {@link ErrorInfo}, and
 * {@code state}, the state entered), so that a dropped connection ({@code 80003/503}), an
 * idle timeout ({@code 80003/408}) and a suspension ({@code 80002}) can be told apart.
 * Its codes come from the server, so each appears with its first error. Past 50 distinct
 * code and status pairs, further ones are counted with both tags {@code other}.</li>
 * <li>{@code realtime.connection.attempts}, a counter of attempts to open a connection
 * (tag {@code type}: {@code initial}, the first after {@code connect()}, or
 * {@code reconnect});</li>
 * <li>{@code realtime.connection.established}, a counter of connections the server
 * accepted (tag {@code type}: {@code new}, {@code resumed}, or {@code not_resumed} when
 * the client asked to resume and got a new connection);</li>
 * <li>{@code realtime.ping.round.trip}, a timer of the round trips of answered
 * pings;</li>
 * <li>{@code realtime.messages.received} and {@code realtime.messages.sent}, counters of
 * channel messages (a message sent again after a reconnect counts again);
 * {@code realtime.bytes.received} and {@code realtime.bytes.sent}, counters of the UTF-8
 * bytes of all frames;</li>
 * <li>{@code realtime.publish.acks} and {@code realtime.publish.nacks}, counters of
 * published messages the server acknowledged or refused;
 * {@code realtime.publish.latency}, a timer from publish to {@code ACK} with a percentile
 * histogram and the 50th, 95th and 99th percentiles;</li>
 * <li>{@code realtime.publish.queued} and {@code realtime.publish.unacknowledged}, gauges
 * of the messages waiting to be sent and of those sent and waiting for their
 * {@code ACK};</li>
 * <li>{@code realtime.publish.rejected} and {@code realtime.publish.expired}, counters of
 * publishes refused because the queue was full and of queued messages that outlived their
 * TTL;</li>
 * <li>{@code realtime.subscribers.backlog}, a gauge of the bytes of received messages
 * waiting for subscribers; {@code realtime.subscribers.slow}, a counter of channels whose
 * subscribers became slow;</li>
 * <li>{@code realtime.frames.malformed}, a counter of the inbound frames, or parts of
 * frames, that could not be read as protocol messages and were ignored;</li>
 * <li>{@code realtime.frames.unhandled}, a counter of the protocol messages that reached
 * no handler and were ignored: an unknown action, one only clients send, or a channel the
 * client does not have. A server that speaks the protocol makes it count none.</li>
 * </ul>
 * Every meter but {@code realtime.connection.errors} is registered when the binder is
 * bound, so that a rate over the first event can be computed. Counters read the client's
 * {@link RealtimeClient#statistics() statistics} and count from the client's start.
 * Binding to a registry adds a {@link ConnectionStateListener} and a
 * {@link ConnectionTimingListener} to the client, so bind once to each registry.
 *
 * @author Realtime team
 */
public class RealtimeClientMetrics implements MeterBinder {

	/**
	 * The name of the connection of the client configured with {@code realtime.*}, the
	 * value of the {@code connection} tag.
	 */
	public static final String DEFAULT_CONNECTION_NAME = "default";

	/**
	 * How many distinct error code and status pairs get counters of their own; the codes
	 * come from the server, so their number is bounded here.
	 */
	static final int MAX_ERROR_CODES = 50;

	private static final String OTHER = "other";

	private static final String MESSAGES = "messages";

	private static final Duration MIN_EXPECTED_LATENCY = Duration.ofMillis(1);

	private static final Duration MAX_EXPECTED_LATENCY = Duration.ofSeconds(30);

	private final RealtimeClient client;

	private final Tags tags;

	/**
	 * Create a new binder for the given client, tagged as the default connection.
	 * @param client the client whose connection to measure
	 */
	public RealtimeClientMetrics(RealtimeClient client) {
		this(client, Tags.empty());
	}

	/**
	 * Create a new binder for the given client, tagged as the default connection, that
	 * adds tags to every meter. A {@code connection} tag among them replaces the default
	 * one.
	 * @param client the client whose connection to measure
	 * @param tags the tags to add to every meter
	 */
	public RealtimeClientMetrics(RealtimeClient client, Iterable<Tag> tags) {
		this(client, DEFAULT_CONNECTION_NAME, tags);
	}

	/**
	 * Create a new binder for the named connection of the given client, that adds tags to
	 * every meter.
	 * @param client the client whose connection to measure
	 * @param connectionName the value of the {@code connection} tag
	 * @param tags the tags to add to every meter
	 */
	public RealtimeClientMetrics(RealtimeClient client, String connectionName, Iterable<Tag> tags) {
		Assert.notNull(client, "'client' must not be null");
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		Assert.notNull(tags, "'tags' must not be null");
		this.client = client;
		this.tags = Tags.of("connection", connectionName).and(tags);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		bindState(registry);
		bindConnections(registry);
		bindTraffic(registry);
		bindPublishing(registry);
		bindSubscribers(registry);
		bindFrames(registry);
		bindTimers(registry);
	}

	private void bindState(MeterRegistry registry) {
		for (ConnectionState state : ConnectionState.values()) {
			Gauge.builder("realtime.connection.state", this.client, (client) -> isIn(client, state) ? 1 : 0)
				.tags(this.tags)
				.tag("state", tagValue(state))
				.description("Whether the realtime connection is in this state (1) or not (0)")
				.baseUnit("connections")
				.register(registry);
		}
		StateChangeCounters stateChanges = new StateChangeCounters(registry, this.tags);
		for (ConnectionState from : ConnectionState.values()) {
			for (ConnectionState to : ConnectionState.values()) {
				if (from.canChangeTo(to)) {
					stateChanges.transitions(from, to);
				}
			}
		}
		this.client.connection().addListener(stateChanges);
	}

	private void bindConnections(MeterRegistry registry) {
		String attempts = "realtime.connection.attempts";
		String attemptsDescription = "Attempts to open a realtime connection";
		counter(registry, attempts, attemptsDescription, "attempts", RealtimeStatistics::initialAttempts, "type",
				"initial");
		counter(registry, attempts, attemptsDescription, "attempts", RealtimeStatistics::reconnectAttempts, "type",
				"reconnect");
		String established = "realtime.connection.established";
		String establishedDescription = "Realtime connections the server accepted: new, resumed, or not resumed"
				+ " although the client asked to resume";
		counter(registry, established, establishedDescription, "connections", RealtimeStatistics::newConnections,
				"type", "new");
		counter(registry, established, establishedDescription, "connections", RealtimeStatistics::resumedConnections,
				"type", "resumed");
		counter(registry, established, establishedDescription, "connections", RealtimeStatistics::failedResumes, "type",
				"not_resumed");
	}

	private void bindTraffic(MeterRegistry registry) {
		counter(registry, "realtime.messages.received", "Channel messages received", MESSAGES,
				RealtimeStatistics::messagesReceived);
		counter(registry, "realtime.messages.sent", "Channel messages sent, a message sent again counted again",
				MESSAGES, RealtimeStatistics::messagesSent);
		counter(registry, "realtime.bytes.received", "Bytes of frames received (UTF-8)", BaseUnits.BYTES,
				RealtimeStatistics::bytesReceived);
		counter(registry, "realtime.bytes.sent", "Bytes of frames sent (UTF-8)", BaseUnits.BYTES,
				RealtimeStatistics::bytesSent);
	}

	private void bindPublishing(MeterRegistry registry) {
		counter(registry, "realtime.publish.acks", "Published messages the server acknowledged", MESSAGES,
				RealtimeStatistics::acknowledged);
		counter(registry, "realtime.publish.nacks", "Published messages the server refused", MESSAGES,
				RealtimeStatistics::refused);
		counter(registry, "realtime.publish.rejected", "Publishes refused at once because the queue was full", MESSAGES,
				RealtimeStatistics::queueRejections);
		counter(registry, "realtime.publish.expired",
				"Queued messages that waited longer than the message TTL and were not sent", MESSAGES,
				RealtimeStatistics::queueExpiries);
		gauge(registry, "realtime.publish.queued", "Published messages waiting to be sent", MESSAGES,
				RealtimeStatistics::queuedMessages);
		gauge(registry, "realtime.publish.unacknowledged", "Published messages sent and waiting for their ACK",
				MESSAGES, RealtimeStatistics::unacknowledgedMessages);
	}

	private void bindSubscribers(MeterRegistry registry) {
		gauge(registry, "realtime.subscribers.backlog", "Bytes of received messages waiting for subscribers",
				BaseUnits.BYTES, RealtimeStatistics::subscriberBacklog);
		counter(registry, "realtime.subscribers.slow",
				"Times the subscribers of a channel stayed behind their buffer for longer than the maximum pause",
				"events", RealtimeStatistics::slowSubscriberEvents);
		counter(registry, "realtime.inbound.pauses",
				"Times the connection stopped reading from the server because it was behind, so that TCP slowed the server",
				"pauses", RealtimeStatistics::inboundPauses);
	}

	private void bindFrames(MeterRegistry registry) {
		counter(registry, "realtime.frames.malformed",
				"Inbound frames, or parts of frames, that could not be read as protocol messages and were ignored",
				"frames", RealtimeStatistics::malformedFrames);
		counter(registry, "realtime.frames.unhandled", "Protocol messages that reached no handler and were ignored",
				"frames", RealtimeStatistics::unhandledFrames);
	}

	private void bindTimers(MeterRegistry registry) {
		Timer publishLatency = Timer.builder("realtime.publish.latency")
			.tags(this.tags)
			.description("Time from publishing a message to its ACK, waiting for the connection included")
			.publishPercentileHistogram()
			.publishPercentiles(0.5, 0.95, 0.99)
			.minimumExpectedValue(MIN_EXPECTED_LATENCY)
			.maximumExpectedValue(MAX_EXPECTED_LATENCY)
			.register(registry);
		Timer pingRoundTrip = Timer.builder("realtime.ping.round.trip")
			.tags(this.tags)
			.description("Round-trip time of answered pings")
			.publishPercentileHistogram()
			.minimumExpectedValue(MIN_EXPECTED_LATENCY)
			.maximumExpectedValue(MAX_EXPECTED_LATENCY)
			.register(registry);
		this.client.addTimingListener(new TimingRecorder(publishLatency, pingRoundTrip));
	}

	private void counter(MeterRegistry registry, String name, String description, String baseUnit,
			ToDoubleFunction<RealtimeStatistics> count, String... tags) {
		FunctionCounter.builder(name, this.client.statistics(), count)
			.tags(this.tags)
			.tags(tags)
			.description(description)
			.baseUnit(baseUnit)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description, String baseUnit,
			ToDoubleFunction<RealtimeStatistics> value) {
		Gauge.builder(name, this.client.statistics(), value)
			.tags(this.tags)
			.description(description)
			.baseUnit(baseUnit)
			.register(registry);
	}

	private static boolean isIn(RealtimeClient client, ConnectionState state) {
		return client.connection().state() == state;
	}

	private static String tagValue(ConnectionState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Records timed events into timers; called on the connection's thread, and records
	 * without blocking.
	 */
	private record TimingRecorder(Timer publishLatency, Timer pingRoundTrip) implements ConnectionTimingListener {

		@Override
		public void onPublishAcknowledged(long latencyNanos) {
			this.publishLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void onPingRoundTrip(long roundTripNanos) {
			this.pingRoundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
		}

	}

	/**
	 * Counts the changes of one connection into one registry. Listeners of a connection
	 * are called one at a time.
	 */
	private static final class StateChangeCounters implements ConnectionStateListener {

		private final MeterRegistry registry;

		private final Iterable<Tag> tags;

		private final Set<ErrorCode> errorCodes = ConcurrentHashMap.newKeySet();

		StateChangeCounters(MeterRegistry registry, Iterable<Tag> tags) {
			this.registry = registry;
			this.tags = tags;
		}

		Counter transitions(ConnectionState from, ConnectionState to) {
			return Counter.builder("realtime.connection.transitions")
				.tags(this.tags)
				.tag("from", tagValue(from))
				.tag("to", tagValue(to))
				.description("Changes of the realtime connection's state")
				.baseUnit("transitions")
				.register(this.registry);
		}

		@Override
		public void onStateChange(ConnectionStateChange change) {
			if (!change.isUpdate()) {
				transitions(change.previous(), change.current()).increment();
			}
			ErrorInfo reason = change.reason();
			if (reason != null) {
				boolean tagged = isTagged(new ErrorCode(reason.code(), reason.statusCode()));
				Counter.builder("realtime.connection.errors")
					.tags(this.tags)
					.tag("code", tagged ? Integer.toString(reason.code()) : OTHER)
					.tag("status", tagged ? Integer.toString(reason.statusCode()) : OTHER)
					.tag("state", tagValue(change.current()))
					.description("State changes and updates of the realtime connection that carried an error")
					.baseUnit("errors")
					.register(this.registry)
					.increment();
			}
		}

		private boolean isTagged(ErrorCode errorCode) {
			return this.errorCodes.contains(errorCode)
					|| (this.errorCodes.size() < MAX_ERROR_CODES && this.errorCodes.add(errorCode));
		}

		@Override
		public String toString() {
			return "RealtimeClientMetrics listener for " + this.registry;
		}

	}

	private record ErrorCode(int code, int statusCode) {

	}

}

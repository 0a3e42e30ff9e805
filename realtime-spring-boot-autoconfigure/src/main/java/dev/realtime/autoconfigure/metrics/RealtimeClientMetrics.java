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

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ConnectionStateListener;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * {@link MeterBinder} for the connection of a {@link RealtimeClient}:
 * <ul>
 * <li>{@code realtime.connection.state}, a gauge per {@link ConnectionState} (tag
 * {@code state}, such as {@code connected}) that reads 1 for the current state and 0 for
 * every other. It reads the state the connection last cached and never touches the
 * network.</li>
 * <li>{@code realtime.connection.transitions}, a counter per change of state (tags
 * {@code from} and {@code to}). Updates of a connected connection are not
 * transitions.</li>
 * <li>{@code realtime.connection.errors}, a counter of the state changes and updates that
 * carry a reason (tags {@code code} and {@code status} from the {@link ErrorInfo}, and
 * {@code state}, the state entered), so that a dropped connection ({@code 80003/503}), an
 * idle timeout ({@code 80003/408}) and a suspension ({@code 80002}) can be told apart.
 * Past 50 distinct code and status pairs, further ones are counted with both tags
 * {@code other}.</li>
 * <li>{@code realtime.subscribers.slow}, a counter of channels whose subscribers became
 * slow;</li>
 * <li>{@code realtime.frames.malformed}, a function counter of the inbound frames, or
 * parts of frames, that could not be read as protocol messages and were ignored;</li>
 * <li>{@code realtime.frames.unhandled}, a function counter of the protocol messages that
 * reached no handler and were ignored: an unknown action, one only clients send, or a
 * channel the client does not have. A server that speaks the protocol makes it count
 * none.</li>
 * </ul>
 * Counters are created when first needed and count the changes that listeners hear of
 * after binding. Binding to a registry adds a {@link ConnectionStateListener} to the
 * connection, so bind once to each registry.
 *
 * @author Realtime team
 */
public class RealtimeClientMetrics implements MeterBinder {

	/**
	 * How many distinct error code and status pairs get counters of their own; the codes
	 * come from the server, so their number is bounded here.
	 */
	static final int MAX_ERROR_CODES = 50;

	private static final String OTHER = "other";

	private final RealtimeClient client;

	private final Iterable<Tag> tags;

	/**
	 * Create a new binder for the given client.
	 * @param client the client whose connection to measure
	 */
	public RealtimeClientMetrics(RealtimeClient client) {
		this(client, Tags.empty());
	}

	/**
	 * Create a new binder for the given client that adds tags to every meter, for example
	 * to tell several clients apart.
	 * @param client the client whose connection to measure
	 * @param tags the tags to add to every meter
	 */
	public RealtimeClientMetrics(RealtimeClient client, Iterable<Tag> tags) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(tags, "'tags' must not be null");
		this.client = client;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ConnectionState state : ConnectionState.values()) {
			Gauge.builder("realtime.connection.state", this.client, (client) -> isIn(client, state) ? 1 : 0)
				.tags(this.tags)
				.tag("state", tagValue(state))
				.description("Whether the realtime connection is in this state (1) or not (0)")
				.baseUnit("connections")
				.register(registry);
		}
		FunctionCounter.builder("realtime.frames.malformed", this.client, RealtimeClient::malformedFrames)
			.tags(this.tags)
			.description(
					"Inbound frames, or parts of frames, that could not be read as protocol messages and were ignored")
			.baseUnit("frames")
			.register(registry);
		FunctionCounter.builder("realtime.frames.unhandled", this.client, RealtimeClient::unhandledFrames)
			.tags(this.tags)
			.description("Protocol messages that reached no handler and were ignored")
			.baseUnit("frames")
			.register(registry);
		this.client.connection().addListener(new StateChangeCounters(registry, this.tags));
		Counter slowSubscribers = Counter.builder("realtime.subscribers.slow")
			.tags(this.tags)
			.description(
					"Times the subscribers of a channel stayed behind their buffer for longer than the maximum pause")
			.baseUnit("events")
			.register(registry);
		this.client.addSlowSubscriberListener((slow) -> slowSubscribers.increment());
	}

	private static boolean isIn(RealtimeClient client, ConnectionState state) {
		return client.connection().state() == state;
	}

	private static String tagValue(ConnectionState state) {
		return state.name().toLowerCase(Locale.ROOT);
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

		@Override
		public void onStateChange(ConnectionStateChange change) {
			if (!change.isUpdate()) {
				Counter.builder("realtime.connection.transitions")
					.tags(this.tags)
					.tag("from", tagValue(change.previous()))
					.tag("to", tagValue(change.current()))
					.description("Changes of the realtime connection's state")
					.baseUnit("transitions")
					.register(this.registry)
					.increment();
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

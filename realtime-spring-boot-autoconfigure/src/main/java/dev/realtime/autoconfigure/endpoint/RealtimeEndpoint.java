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

package dev.realtime.autoconfigure.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ChannelStatistics;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.RealtimeException;
import dev.realtime.client.RealtimeStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} that shows each realtime connection and lets an operator
 * connect, close or ping it: {@code GET /actuator/realtime} lists every connection by
 * name, {@code GET /actuator/realtime/{name}} shows one, and {@code POST
 * /actuator/realtime/{name}/{operation}} runs {@code connect}, {@code close} or
 * {@code ping} on it. The connection of the client configured with {@code realtime.*} is
 * named {@code default}, and each named connection of {@code realtime.connections} by its
 * name.
 * <p>
 * Per connection it shows the state, the connection id, the error reason, when the next
 * attempt is due, the latest state changes with their times and reasons, each channel
 * with its state and last channel serial, the depth of the publish queue, the messages
 * waiting for an acknowledgement, the subscribers' backlog and the latest ping round
 * trip. It shows no secret: no key, no token, no connection key (which resumes the
 * connection), and no URL query, not even in error messages. Reading does no I/O and
 * never waits for a connection.
 *
 * @author Realtime team
 */
@Endpoint(id = "realtime")
public class RealtimeEndpoint {

	/**
	 * The name of the connection of the client configured with {@code realtime.*}.
	 */
	public static final String DEFAULT_CONNECTION_NAME = "default";

	/** How much longer than the client's request timeout an operation may wait. */
	private static final Duration MARGIN = Duration.ofSeconds(1);

	private final Map<String, Connection> connections;

	/**
	 * Create an endpoint for the given connections.
	 * @param connections each connection's client and history, by name
	 */
	public RealtimeEndpoint(Map<String, Connection> connections) {
		Assert.notNull(connections, "'connections' must not be null");
		this.connections = Map.copyOf(connections);
	}

	/**
	 * Describe every connection.
	 * @return the connections, by name
	 */
	@ReadOperation
	public ConnectionsDescriptor connections() {
		Map<String, ConnectionDescriptor> descriptors = new LinkedHashMap<>();
		this.connections.keySet()
			.stream()
			.sorted()
			.forEach((name) -> descriptors.put(name, describe(this.connections.get(name))));
		return new ConnectionsDescriptor(descriptors);
	}

	/**
	 * Describe one connection.
	 * @param name the name of the connection
	 * @return the connection, or {@code null} (404) if there is none of that name
	 */
	@ReadOperation
	public @Nullable ConnectionDescriptor connection(@Selector String name) {
		Connection connection = this.connections.get(name);
		return (connection != null) ? describe(connection) : null;
	}

	/**
	 * Run an operation on a connection: {@code connect} (returns at once; the connection
	 * connects in the background, so the state returned may still be the previous one),
	 * {@code close} (waits until it is closed, at most the request timeout and a second)
	 * or {@code ping} (waits for the answer as long).
	 * @param name the name of the connection
	 * @param operation {@code connect}, {@code close} or {@code ping}
	 * @return what happened, or {@code null} (404) if there is no connection of that name
	 * @throws InvalidEndpointRequestException (400) for another operation
	 */
	@WriteOperation
	public @Nullable OperationDescriptor operate(@Selector String name, @Selector String operation) {
		Connection connection = this.connections.get(name);
		if (connection == null) {
			return null;
		}
		RealtimeConnection realtime = connection.client().connection();
		Duration limit = connection.client().options().requestTimeout().plus(MARGIN);
		return switch (operation) {
			case "connect" -> {
				realtime.connect();
				yield new OperationDescriptor(operation, realtime.state(), null, null);
			}
			case "close" -> {
				ErrorDescriptor failure = await(realtime.close(), limit).failure();
				yield new OperationDescriptor(operation, realtime.state(), null, failure);
			}
			case "ping" -> {
				Outcome<Duration> outcome = await(realtime.ping(), limit);
				yield new OperationDescriptor(operation, realtime.state(), asString(outcome.value()),
						outcome.failure());
			}
			default -> throw new InvalidEndpointRequestException(
					"Unknown operation '" + operation + "'; use connect, close or ping", "Unknown operation");
		};
	}

	private static <T> Outcome<T> await(CompletableFuture<T> future, Duration limit) {
		try {
			return new Outcome<>(future.get(limit.toNanos(), TimeUnit.NANOSECONDS), null);
		}
		catch (ExecutionException ex) {
			ErrorDescriptor failure = (ex.getCause() instanceof RealtimeException realtime)
					? ErrorDescriptor.of(realtime.getErrorInfo())
					: new ErrorDescriptor(0, 0, String.valueOf(ex.getCause()), null);
			return new Outcome<>(null, failure);
		}
		catch (TimeoutException ex) {
			return new Outcome<>(null, new ErrorDescriptor(0, 0, "No outcome within " + limit, null));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome<>(null, new ErrorDescriptor(0, 0, "Interrupted", null));
		}
	}

	private static ConnectionDescriptor describe(Connection connection) {
		RealtimeConnection realtime = connection.client().connection();
		RealtimeStatistics statistics = connection.client().statistics();
		ConnectionState state = realtime.state();
		List<RealtimeConnectionHistory.Entry> entries = connection.history().entries();
		List<StateChangeDescriptor> changes = entries.stream().map(StateChangeDescriptor::of).toList();
		RealtimeConnectionHistory.Entry latest = entries.stream()
			.filter((entry) -> !entry.change().isUpdate())
			.reduce((first, second) -> second)
			.orElse(null);
		Duration retryIn = null;
		Instant retryAt = null;
		if (latest != null && latest.change().current() == state && latest.change().retryIn() != null) {
			retryIn = latest.change().retryIn();
			retryAt = latest.timestamp().plus(retryIn);
		}
		List<ChannelDescriptor> channels = statistics.channels()
			.stream()
			.sorted(Comparator.comparing(ChannelStatistics::name))
			.map(ChannelDescriptor::of)
			.toList();
		return new ConnectionDescriptor(state, realtime.id(), ErrorDescriptor.of(realtime.errorReason()),
				asString(retryIn), retryAt, statistics.queuedMessages(), statistics.unacknowledgedMessages(),
				statistics.subscriberBacklog(), asString(statistics.lastPingRoundTrip()), channels, changes);
	}

	private static @Nullable String asString(@Nullable Duration duration) {
		return (duration != null) ? duration.toString() : null;
	}

	/**
	 * A connection the endpoint shows: its client and the history of its state changes.
	 *
	 * @param client the client
	 * @param history the history of its connection's state changes
	 */
	public record Connection(RealtimeClient client, RealtimeConnectionHistory history) {

	}

	/**
	 * Every connection, by name.
	 *
	 * @param connections the connections
	 */
	public record ConnectionsDescriptor(
			Map<String, ConnectionDescriptor> connections) implements OperationResponseBody {

	}

	/**
	 * One connection.
	 *
	 * @param state the current state
	 * @param connectionId the id the server gave the connection, or {@code null}
	 * @param errorReason why the connection is not (or not cleanly) connected, or
	 * {@code null}
	 * @param retryIn the delay before the next attempt announced when the current state
	 * was entered (ISO-8601), or {@code null} if none is scheduled
	 * @param retryAt when that attempt is due, or {@code null}
	 * @param queueDepth published messages waiting to be sent
	 * @param pendingAcknowledgements published messages sent and waiting for their ACK
	 * @param subscriberBacklog bytes of received messages waiting for subscribers
	 * @param lastPingRoundTrip the round trip of the latest answered ping (ISO-8601), or
	 * {@code null}
	 * @param channels each channel, by name
	 * @param stateChanges the latest state changes, oldest first
	 */
	public record ConnectionDescriptor(ConnectionState state, @Nullable String connectionId,
			@Nullable ErrorDescriptor errorReason, @Nullable String retryIn, @Nullable Instant retryAt, int queueDepth,
			int pendingAcknowledgements, long subscriberBacklog, @Nullable String lastPingRoundTrip,
			List<ChannelDescriptor> channels,
			List<StateChangeDescriptor> stateChanges) implements OperationResponseBody {

	}

	/**
	 * One channel.
	 *
	 * @param name its name
	 * @param state its state
	 * @param channelSerial the serial of the latest message it took, or {@code null}
	 * @param subscriberBacklog bytes of received messages waiting for its subscribers
	 * @param droppedMessages messages dropped while its subscribers were slow
	 */
	public record ChannelDescriptor(String name, ChannelState state, @Nullable String channelSerial,
			long subscriberBacklog, long droppedMessages) {

		static ChannelDescriptor of(ChannelStatistics channel) {
			return new ChannelDescriptor(channel.name(), channel.state(), channel.channelSerial(),
					channel.subscriberBacklog(), channel.droppedMessages());
		}

	}

	/**
	 * One state change, or update of a connected connection.
	 *
	 * @param timestamp when it was heard of
	 * @param previous the state left
	 * @param current the state entered
	 * @param reason why, or {@code null}
	 * @param retryIn the delay before the next attempt (ISO-8601), or {@code null}
	 */
	public record StateChangeDescriptor(Instant timestamp, ConnectionState previous, ConnectionState current,
			@Nullable ErrorDescriptor reason, @Nullable String retryIn) {

		static StateChangeDescriptor of(RealtimeConnectionHistory.Entry entry) {
			ConnectionStateChange change = entry.change();
			return new StateChangeDescriptor(entry.timestamp(), change.previous(), change.current(),
					ErrorDescriptor.of(change.reason()), asString(change.retryIn()));
		}

	}

	/**
	 * An error.
	 *
	 * @param code the error code
	 * @param statusCode the HTTP-like status code
	 * @param message what happened
	 * @param cause what caused it, or {@code null}
	 */
	public record ErrorDescriptor(int code, int statusCode, String message, @Nullable ErrorDescriptor cause) {

		/**
		 * The query of a URL in a message: the client masks the secrets in it, and the
		 * endpoint leaves out the rest as well.
		 */
		private static final Pattern URL_QUERY = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s?#]*)\\?[^\\s#]*");

		static @Nullable ErrorDescriptor of(@Nullable ErrorInfo error) {
			return (error != null) ? new ErrorDescriptor(error.code(), error.statusCode(),
					URL_QUERY.matcher(error.message()).replaceAll("$1?…"), of(error.cause())) : null;
		}

	}

	/**
	 * What an operation did.
	 *
	 * @param operation the operation
	 * @param state the state of the connection when the operation returned
	 * @param roundTrip the round trip of a ping (ISO-8601), or {@code null}
	 * @param failure why the operation failed, or {@code null}
	 */
	public record OperationDescriptor(String operation, ConnectionState state, @Nullable String roundTrip,
			@Nullable ErrorDescriptor failure) implements OperationResponseBody {

	}

	private record Outcome<T>(@Nullable T value, @Nullable ErrorDescriptor failure) {

	}

}

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

package dev.realtime.autoconfigure.health;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * {@link HealthIndicator} for the connection of a {@link RealtimeClient}. It reports the
 * state the connection last cached and never touches the network.
 * <p>
 * By default, {@link ConnectionState#CONNECTED CONNECTED} is {@link Status#UP UP};
 * {@link ConnectionState#INITIALIZED INITIALIZED}, {@link ConnectionState#CONNECTING
 * CONNECTING} and {@link ConnectionState#DISCONNECTED DISCONNECTED} are
 * {@link #RECONNECTING}; {@link ConnectionState#SUSPENDED SUSPENDED} and
 * {@link ConnectionState#FAILED FAILED} are {@link Status#DOWN DOWN}; and
 * {@link ConnectionState#CLOSING CLOSING} and {@link ConnectionState#CLOSED CLOSED} are
 * {@link Status#OUT_OF_SERVICE OUT_OF_SERVICE}.
 * <p>
 * {@code RECONNECTING} is not in Spring Boot's default status order, so the aggregate
 * health ignores it and a transient outage does not take the application down. To have
 * the aggregate show it, add it to the order, for example
 * {@code management.endpoint.health.status.order=down,out-of-service,reconnecting,up,unknown};
 * it maps to HTTP 200 unless
 * {@code management.endpoint.health.status.http-mapping.reconnecting} says otherwise.
 *
 * @author Realtime team
 */
public class RealtimeHealthIndicator extends AbstractHealthIndicator {

	/**
	 * The status of a connection that is not connected yet or again, but is trying.
	 */
	public static final Status RECONNECTING = new Status("RECONNECTING");

	private final RealtimeClient client;

	private final Map<ConnectionState, Status> statusMappings;

	private final AtomicReference<@Nullable LatestChange> latestChange = new AtomicReference<>();

	/**
	 * Create a new indicator with the default status mappings.
	 * @param client the client whose connection to report
	 * @param clock the clock that dates state changes
	 */
	public RealtimeHealthIndicator(RealtimeClient client, Clock clock) {
		this(client, clock, defaultStatusMappings());
	}

	/**
	 * Create a new indicator with the given status mappings.
	 * @param client the client whose connection to report
	 * @param clock the clock that dates state changes
	 * @param statusMappings the status of each connection state; every state must be
	 * mapped
	 */
	public RealtimeHealthIndicator(RealtimeClient client, Clock clock, Map<ConnectionState, Status> statusMappings) {
		super("Realtime health check failed");
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(statusMappings, "'statusMappings' must not be null");
		for (ConnectionState state : ConnectionState.values()) {
			Assert.state(statusMappings.get(state) != null, () -> "No health status is mapped to " + state);
		}
		this.client = client;
		this.statusMappings = new EnumMap<>(statusMappings);
		AtomicReference<@Nullable LatestChange> latestChange = this.latestChange;
		client.connection().addListener((change) -> latestChange.set(new LatestChange(change, clock.instant())));
	}

	/**
	 * Return the default status of each connection state.
	 * @return a new, modifiable map of the default mappings
	 */
	public static Map<ConnectionState, Status> defaultStatusMappings() {
		Map<ConnectionState, Status> mappings = new EnumMap<>(ConnectionState.class);
		mappings.put(ConnectionState.INITIALIZED, RECONNECTING);
		mappings.put(ConnectionState.CONNECTING, RECONNECTING);
		mappings.put(ConnectionState.CONNECTED, Status.UP);
		mappings.put(ConnectionState.DISCONNECTED, RECONNECTING);
		mappings.put(ConnectionState.SUSPENDED, Status.DOWN);
		mappings.put(ConnectionState.CLOSING, Status.OUT_OF_SERVICE);
		mappings.put(ConnectionState.CLOSED, Status.OUT_OF_SERVICE);
		mappings.put(ConnectionState.FAILED, Status.DOWN);
		return mappings;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RealtimeConnection connection = this.client.connection();
		ConnectionState state = connection.state();
		builder.status(this.statusMappings.get(state));
		builder.withDetail("state", state);
		builder.withDetail("url", this.client.options().redactedUrl());
		String connectionId = connection.id();
		if (connectionId != null) {
			builder.withDetail("connectionId", connectionId);
		}
		ErrorInfo errorReason = connection.errorReason();
		if (errorReason != null) {
			builder.withDetail("errorReason", describe(errorReason));
		}
		LatestChange latest = this.latestChange.get();
		// Listeners hear of a change shortly after the state is cached
		if (latest != null && latest.change().current() == state) {
			if (latest.change().retryIn() != null) {
				builder.withDetail("retryIn", latest.change().retryIn());
			}
			builder.withDetail("since", latest.at());
		}
		builder.withDetail("malformedFrames", this.client.malformedFrames());
		builder.withDetail("unhandledFrames", this.client.unhandledFrames());
	}

	private static Map<String, Object> describe(ErrorInfo errorInfo) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("code", errorInfo.code());
		description.put("statusCode", errorInfo.statusCode());
		description.put("message", errorInfo.message());
		return description;
	}

	private record LatestChange(ConnectionStateChange change, Instant at) {

	}

}

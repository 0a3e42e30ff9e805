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

package dev.realtime.client;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.jspecify.annotations.Nullable;

/**
 * The pings of a connection [RTN13]: each a {@code HEARTBEAT} with a random id, answered
 * by a {@code HEARTBEAT} with the same id within the request timeout. Pings made while
 * the connection is connecting or disconnected are sent once it is connected. Bounded;
 * confined to the connection's actor.
 *
 * @author Realtime team
 */
final class PendingPings {

	/** How many pings may be waiting at once. */
	static final int CAPACITY = 100;

	private final Consumer<ProtocolMessage> sender;

	private final Notifier notifier;

	private final ActorTimers timers;

	private final Ticker ticker;

	private final RandomGenerator random;

	private final Duration timeout;

	private final ConnectionStatistics statistics;

	private final Map<String, Ping> pings = new LinkedHashMap<>();

	PendingPings(Consumer<ProtocolMessage> sender, Notifier notifier, ActorTimers timers, Ticker ticker,
			RandomGenerator random, Duration timeout, ConnectionStatistics statistics) {
		this.sender = sender;
		this.notifier = notifier;
		this.timers = timers;
		this.ticker = ticker;
		this.random = random;
		this.timeout = timeout;
		this.statistics = statistics;
	}

	/**
	 * Add a ping.
	 * @param result the future of its round-trip time
	 * @param sendNow whether the connection is connected
	 */
	void add(CompletableFuture<Duration> result, boolean sendNow) {
		if (this.pings.size() >= CAPACITY) {
			this.notifier.fail(result, ErrorInfo.failed("Too many pings waiting (" + CAPACITY + ")"));
			return;
		}
		Ping ping = new Ping(HexFormat.of().toHexDigits(this.random.nextLong()), result);
		this.pings.put(ping.id, ping);
		if (sendNow) {
			send(ping);
		}
	}

	/**
	 * Send the pings that wait for a connection.
	 */
	void sendWaiting() {
		this.pings.values().stream().filter((ping) -> ping.sentAt == null).forEach(this::send);
	}

	/**
	 * Complete the ping a {@code HEARTBEAT} answers, if any.
	 * @param id the id of the heartbeat
	 */
	void onHeartbeat(@Nullable String id) {
		Ping ping = (id != null) ? this.pings.get(id) : null;
		if (ping != null && ping.sentAt != null) {
			this.pings.remove(id);
			ping.cancelTimeout();
			long roundTrip = this.ticker.nanoTime() - ping.sentAt;
			this.statistics.onPingRoundTrip(roundTrip);
			this.notifier.complete(ping.result, Duration.ofNanos(roundTrip));
		}
	}

	/**
	 * Forget that the pings were sent: the transport that carried them is gone, so they
	 * are sent again once connected.
	 */
	void unsendAll() {
		this.pings.values().forEach(Ping::unsend);
	}

	/**
	 * Fail every ping.
	 * @param reason why
	 */
	void failAll(ErrorInfo reason) {
		this.pings.values().forEach((ping) -> {
			ping.cancelTimeout();
			this.notifier.fail(ping.result, reason);
		});
		this.pings.clear();
	}

	private void send(Ping ping) {
		ping.sentAt = this.ticker.nanoTime();
		this.sender.accept(new ProtocolMessage(Action.HEARTBEAT).setId(ping.id));
		ping.timeout = this.timers.schedule(this.timeout, () -> {
			if (this.pings.remove(ping.id) != null) {
				this.notifier.fail(ping.result,
						ErrorInfo.timeout("No HEARTBEAT answer within " + this.timeout.toMillis() + " ms"));
			}
		});
	}

	private static final class Ping {

		private final String id;

		private final CompletableFuture<Duration> result;

		/**
		 * When the ping was sent, in {@link Ticker} nanoseconds; {@code null} until then.
		 */
		private @Nullable Long sentAt;

		private ActorTimers.@Nullable Timer timeout;

		Ping(String id, CompletableFuture<Duration> result) {
			this.id = id;
			this.result = result;
		}

		void unsend() {
			cancelTimeout();
			this.sentAt = null;
		}

		void cancelTimeout() {
			if (this.timeout != null) {
				this.timeout.cancel();
				this.timeout = null;
			}
		}

	}

}

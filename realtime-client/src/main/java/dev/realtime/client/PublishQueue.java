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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * The messages a connection has published and not yet had acknowledged: those waiting to
 * be sent, and those sent and waiting for {@code ACK} or {@code NACK}, each with its
 * {@code msgSerial} [RTN7]. Bounded by the queue capacity; confined to the connection's
 * actor.
 *
 * @author Realtime team
 */
final class PublishQueue {

	private final Consumer<ProtocolMessage> sender;

	private final Notifier notifier;

	private final ActorTimers timers;

	private final Ticker ticker;

	private final int capacity;

	private final @Nullable Duration messageTtl;

	/** Published while the connection could not send; oldest first. */
	private final Deque<Publish> waiting = new ArrayDeque<>();

	/** Sent on the current or a previous transport, in msgSerial order. */
	private final Deque<Publish> unacknowledged = new ArrayDeque<>();

	private long nextMsgSerial;

	private ActorTimers.@Nullable Timer expiry;

	PublishQueue(Consumer<ProtocolMessage> sender, Notifier notifier, ActorTimers timers, Ticker ticker, int capacity,
			@Nullable Duration messageTtl) {
		this.sender = sender;
		this.notifier = notifier;
		this.timers = timers;
		this.ticker = ticker;
		this.capacity = capacity;
		this.messageTtl = messageTtl;
	}

	/**
	 * Accept a message: send it now if the connection can, or keep it until it can.
	 * @param publish the message
	 * @param sendNow whether the connection is connected
	 */
	void add(Publish publish, boolean sendNow) {
		if (size() >= this.capacity) {
			fail(publish, ErrorInfo.failed("Publish queue is full: " + this.capacity
					+ " messages are waiting to be sent or acknowledged (realtime.queue.capacity)"));
			return;
		}
		if (sendNow) {
			send(publish);
		}
		else {
			this.waiting.add(publish);
			scheduleExpiry();
		}
	}

	/**
	 * Send what waits, on a new transport: first the messages that were sent before and
	 * not acknowledged [RTN19a], then those that waited. After a resume they keep their
	 * serials; on a new connection serials start again from 0 [RTN15c7].
	 * @param resumed whether the connection was resumed
	 */
	void onConnected(boolean resumed) {
		List<Publish> resend = new ArrayList<>(this.unacknowledged);
		this.unacknowledged.clear();
		if (!resumed) {
			this.nextMsgSerial = 0;
			resend.forEach(Publish::forgetSerial);
		}
		resend.forEach(this::send);
		failExpired();
		while (!this.waiting.isEmpty()) {
			send(this.waiting.poll());
		}
		cancelExpiry();
	}

	/**
	 * Complete the messages an {@code ACK} covers [RTN7a]. Messages with a lower serial
	 * that are still unacknowledged were skipped by the server and fail.
	 * @param msgSerial the first serial acknowledged
	 * @param count how many serials are acknowledged
	 */
	void onAck(long msgSerial, int count) {
		settle(msgSerial, count, null);
	}

	/**
	 * Fail the messages a {@code NACK} covers [RTN7a].
	 * @param msgSerial the first serial refused
	 * @param count how many serials are refused
	 * @param error why the server refused them
	 */
	void onNack(long msgSerial, int count, ErrorInfo error) {
		settle(msgSerial, count, error);
	}

	/**
	 * Fail every message [RTN7e].
	 * @param reason why
	 */
	void failAll(ErrorInfo reason) {
		cancelExpiry();
		drain(this.unacknowledged, reason);
		drain(this.waiting, reason);
	}

	int size() {
		return this.waiting.size() + this.unacknowledged.size();
	}

	private void send(Publish publish) {
		if (publish.msgSerial == null) {
			publish.msgSerial = this.nextMsgSerial++;
		}
		this.unacknowledged.add(publish);
		this.sender.accept(new ProtocolMessage(Action.MESSAGE).setChannel(publish.channel)
			.setMsgSerial(publish.msgSerial)
			.setMessages(List.of(publish.message)));
	}

	private void settle(long msgSerial, int count, @Nullable ErrorInfo error) {
		long end = msgSerial + Math.max(count, 1);
		while (!this.unacknowledged.isEmpty()) {
			Publish publish = this.unacknowledged.peek();
			long serial = (publish.msgSerial != null) ? publish.msgSerial : Long.MAX_VALUE;
			if (serial >= end) {
				break;
			}
			this.unacknowledged.poll();
			if (serial < msgSerial) {
				fail(publish, ErrorInfo.failed("The server acknowledged later messages but not msgSerial " + serial));
			}
			else if (error != null) {
				fail(publish, error);
			}
			else {
				this.notifier.complete(publish.result, null);
			}
		}
	}

	private void scheduleExpiry() {
		if (this.messageTtl == null || this.expiry != null || this.waiting.isEmpty()) {
			return;
		}
		Duration untilExpiry = Duration
			.ofNanos(this.waiting.peek().queuedAt + this.messageTtl.toNanos() - this.ticker.nanoTime());
		this.expiry = this.timers.schedule(untilExpiry.isNegative() ? Duration.ZERO : untilExpiry, () -> {
			this.expiry = null;
			failExpired();
			scheduleExpiry();
		});
	}

	private void failExpired() {
		if (this.messageTtl == null) {
			return;
		}
		long oldestAllowed = this.ticker.nanoTime() - this.messageTtl.toNanos();
		while (!this.waiting.isEmpty() && this.waiting.peek().queuedAt - oldestAllowed <= 0) {
			fail(this.waiting.poll(), ErrorInfo.timeout("The message waited longer than " + this.messageTtl
					+ " (realtime.queue.message-ttl) for the connection and was not sent"));
		}
	}

	private void cancelExpiry() {
		if (this.expiry != null) {
			this.expiry.cancel();
			this.expiry = null;
		}
	}

	private void drain(Deque<Publish> publishes, ErrorInfo reason) {
		while (!publishes.isEmpty()) {
			fail(publishes.poll(), reason);
		}
	}

	private void fail(Publish publish, ErrorInfo reason) {
		this.notifier.fail(publish.result, reason);
	}

	/**
	 * One published message and the future of its outcome.
	 */
	static final class Publish {

		private final String channel;

		private final WireMessage message;

		/** When the message was queued, in {@link Ticker} nanoseconds. */
		private final long queuedAt;

		private final CompletableFuture<Void> result;

		private @Nullable Long msgSerial;

		Publish(String channel, WireMessage message, long queuedAt, CompletableFuture<Void> result) {
			this.channel = channel;
			this.message = message;
			this.queuedAt = queuedAt;
			this.result = result;
		}

		void forgetSerial() {
			this.msgSerial = null;
		}

	}

}

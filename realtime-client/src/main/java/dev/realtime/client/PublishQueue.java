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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;

/**
 * The messages a connection has published and not yet had acknowledged — channel messages
 * and presence messages alike [RTP16a], which share one {@code msgSerial} sequence: those
 * waiting to be sent, and those sent and waiting for {@code ACK} or {@code NACK}, each
 * with its {@code msgSerial} [RTN7]. Bounded by the queue capacity in messages and by a
 * budget in bytes. What is sent and not yet acknowledged is bounded by the send window,
 * so that the transport's buffer never holds more than the window (a resend after a
 * reconnect included) and a slow link slows publishing instead of dropping the transport.
 * <p>
 * With bundling on, messages published one after the other on the same channel travel in
 * one {@code MESSAGE} frame with one {@code msgSerial}, as the constraints of the
 * protocol's former clause RTL6d allow: only contiguous channel messages of the same
 * channel and client id, at most {@value #MAX_BUNDLE} and {@code maxMessageSize} bytes in
 * all, and no more than the transport writes with one socket write (a frame that takes
 * two can wait for the server's delayed TCP acknowledgement). A message published while
 * connected is then sent by a task of the actor's that runs after the publishes already
 * waiting for it, so that the messages of one burst go together and a lone message is not
 * delayed. The server acknowledges or refuses a bundle as a whole. Off by default: the
 * specification has forbidden bundling since its version 5.0.0.
 * <p>
 * Confined to the connection's actor.
 *
 * @author Realtime team
 */
final class PublishQueue {

	/** The most messages in one bundle [RTL6d8]. */
	static final int MAX_BUNDLE = 999;

	private final Consumer<ProtocolMessage> sender;

	private final Executor actor;

	private final Supplier<BundleLimits> bundleLimits;

	private final Notifier notifier;

	private final ActorTimers timers;

	private final Ticker ticker;

	private final int capacity;

	private final long maxBytes;

	private final long sendWindow;

	private final @Nullable Duration messageTtl;

	private final ConnectionStatistics statistics;

	private final boolean bundle;

	/** Whether a task to send the waiting messages is on its way to the actor. */
	private boolean flushing;

	/** Bytes of every message held, waiting or unacknowledged. */
	private long bytes;

	/** Bytes of the unacknowledged messages. */
	private long unacknowledgedBytes;

	/** Whether the connection is connected: waiting messages may be sent. */
	private boolean connected;

	/**
	 * Published while the connection could not send; oldest first. Queues start small and
	 * grow with use, as most connections are idle most of the time.
	 */
	private final Deque<Publish> waiting = new ArrayDeque<>(1);

	/** Sent on the current or a previous transport, in msgSerial order. */
	private final Deque<Publish> unacknowledged = new ArrayDeque<>(1);

	/** Written on the actor only; read by {@link #nextMsgSerial()} on any thread. */
	private volatile long nextMsgSerial;

	private ActorTimers.@Nullable Timer expiry;

	/**
	 * Create a queue.
	 * @param sender sends a message on the current transport
	 * @param actor runs tasks on the connection's actor, after those already waiting
	 * @param bundleLimits how large a bundle may be now
	 * @param notifier completes futures
	 * @param timers the queue's timers
	 * @param ticker the monotonic time of message expiry
	 * @param options the capacity, byte budget, send window, message TTL and whether to
	 * bundle
	 * @param statistics counts outcomes and publishes the queue's sizes
	 */
	PublishQueue(Consumer<ProtocolMessage> sender, Executor actor, Supplier<BundleLimits> bundleLimits,
			Notifier notifier, ActorTimers timers, Ticker ticker, RealtimeClientOptions options,
			ConnectionStatistics statistics) {
		this.sender = sender;
		this.actor = actor;
		this.bundleLimits = bundleLimits;
		this.notifier = notifier;
		this.timers = timers;
		this.ticker = ticker;
		this.capacity = options.queueCapacity();
		this.maxBytes = options.queueMaxSize().toBytes();
		this.sendWindow = options.queueSendWindow().toBytes();
		this.messageTtl = options.messageTtl();
		this.statistics = statistics;
		this.bundle = options.bundleMessages();
	}

	/**
	 * Accept a message: send it now if the connection is connected and the send window
	 * has room (with bundling, on the actor's next turn), or keep it until then.
	 * @param publish the message
	 */
	void add(Publish publish) {
		if (size() >= this.capacity) {
			this.statistics.onQueueRejection();
			fail(publish, ErrorInfo.failed("Publish queue is full: " + this.capacity
					+ " messages are waiting to be sent or acknowledged (realtime.queue.capacity)"));
			return;
		}
		if (size() > 0 && this.bytes + publish.size > this.maxBytes) {
			this.statistics.onQueueRejection();
			fail(publish,
					ErrorInfo.failed("Publish queue is full: " + this.bytes + " bytes of messages are waiting"
							+ " to be sent or acknowledged, and " + publish.size + " more do not fit in "
							+ this.maxBytes + " (realtime.queue.max-size)"));
			return;
		}
		this.bytes += publish.size;
		this.waiting.add(publish);
		if (this.bundle && this.connected) {
			flushSoon();
		}
		else {
			sendWaiting();
		}
		scheduleExpiry();
		publishSizes();
	}

	/**
	 * Send what waits in a task that runs after the tasks waiting for the actor now,
	 * which may publish more on the same channel.
	 */
	private void flushSoon() {
		if (!this.flushing) {
			this.flushing = true;
			this.actor.execute(() -> {
				this.flushing = false;
				sendWaiting();
				publishSizes();
			});
		}
	}

	/**
	 * The connection is no longer connected: messages wait until it is again.
	 */
	void onDisconnected() {
		this.connected = false;
	}

	/**
	 * Send what waits, on a new transport: first the messages that were sent before and
	 * not acknowledged [RTN19a], then those that waited. After a resume they keep their
	 * serials; on a new connection serials start again from 0 [RTN15c7].
	 * @param resumed whether the connection was resumed
	 */
	void onConnected(boolean resumed) {
		this.connected = true;
		Deque<Publish> resend = new ArrayDeque<>(this.unacknowledged);
		this.unacknowledged.clear();
		this.unacknowledgedBytes = 0;
		if (!resumed) {
			this.nextMsgSerial = 0;
			resend.forEach(Publish::forgetSerial);
		}
		while (!resend.isEmpty()) {
			send(nextFrame(resend, Long.MAX_VALUE));
		}
		failExpired();
		sendWaiting();
		cancelExpiry();
		scheduleExpiry();
		publishSizes();
	}

	/**
	 * Continue the {@code msgSerial} sequence of a recovered connection [RTN16f]. Called
	 * before the connection starts.
	 * @param msgSerial the serial of the next message
	 */
	void continueFrom(long msgSerial) {
		this.nextMsgSerial = msgSerial;
	}

	/**
	 * Return the serial the next message sent will have. Called on any thread.
	 * @return the next {@code msgSerial}
	 */
	long nextMsgSerial() {
		return this.nextMsgSerial;
	}

	/**
	 * Send the waiting messages, oldest first, while the connection is connected and the
	 * send window has room; one message larger than the window goes alone.
	 */
	private void sendWaiting() {
		while (this.connected && !this.waiting.isEmpty() && (this.unacknowledged.isEmpty()
				|| this.unacknowledgedBytes + this.waiting.peek().size <= this.sendWindow)) {
			send(nextFrame(this.waiting, this.sendWindow - this.unacknowledgedBytes));
		}
	}

	/**
	 * Take the messages of the next frame from the head of a queue: the first, and the
	 * messages sent in one frame with it before, or with bundling, those that may go with
	 * it [RTL6d].
	 * @param queue the messages, oldest first
	 * @param room how many bytes the frame may take; the first message goes regardless
	 * @return the messages of the frame
	 */
	private List<Publish> nextFrame(Deque<Publish> queue, long room) {
		Publish first = queue.poll();
		Publish next = queue.peek();
		if (next == null || (first.msgSerial == null && !this.bundle)) {
			return List.of(first);
		}
		List<Publish> frame = new ArrayList<>();
		frame.add(first);
		BundleLimits limits = (first.msgSerial == null) ? this.bundleLimits.get() : null;
		long maxBytes = (limits != null) ? Math.min(room, limits.frameBytes()) : Long.MAX_VALUE;
		long bytes = first.size;
		long messageBytes = first.messageSize;
		while (next != null) {
			if (limits == null) {
				if (!first.msgSerial.equals(next.msgSerial)) {
					break; // a resend keeps the frames its serials were sent in
				}
			}
			else if (frame.size() == MAX_BUNDLE || !first.bundlesWith(next) || bytes + next.size > maxBytes
					|| messageBytes + next.messageSize > limits.messageBytes()) {
				break;
			}
			frame.add(queue.poll());
			bytes += next.size;
			messageBytes += next.messageSize;
			next = queue.peek();
		}
		return frame;
	}

	/**
	 * Complete the messages an {@code ACK} covers [RTN7a]. Messages with a lower serial
	 * that are still unacknowledged were skipped by the server and fail.
	 * @param msgSerial the first serial acknowledged
	 * @param count how many serials are acknowledged
	 * @return whether the serials are of messages this queue sent: {@code false} for an
	 * acknowledgement that covers nothing, or only serials never sent, which settles
	 * nothing
	 */
	boolean onAck(long msgSerial, int count) {
		return settle(msgSerial, count, null);
	}

	/**
	 * Fail the messages a {@code NACK} covers [RTN7a].
	 * @param msgSerial the first serial refused
	 * @param count how many serials are refused
	 * @param error why the server refused them
	 * @return whether the serials are of messages this queue sent: {@code false} for a
	 * refusal that covers nothing, or only serials never sent, which settles nothing
	 */
	boolean onNack(long msgSerial, int count, ErrorInfo error) {
		return settle(msgSerial, count, error);
	}

	/**
	 * Fail every message [RTN7e].
	 * @param reason why
	 */
	void failAll(ErrorInfo reason) {
		cancelExpiry();
		drain(this.unacknowledged, reason);
		drain(this.waiting, reason);
		this.bytes = 0;
		this.unacknowledgedBytes = 0;
		publishSizes();
	}

	int size() {
		return this.waiting.size() + this.unacknowledged.size();
	}

	/**
	 * Let other threads see how many messages wait and how many are unacknowledged.
	 */
	private void publishSizes() {
		this.statistics.onQueueSizes(this.waiting.size(), this.unacknowledged.size());
	}

	/**
	 * Send the messages of one frame, under the serial they were sent with before or the
	 * next one.
	 */
	private void send(List<Publish> frame) {
		Publish first = frame.get(0);
		long msgSerial = (first.msgSerial != null) ? first.msgSerial : this.nextMsgSerial++;
		for (Publish publish : frame) {
			publish.msgSerial = msgSerial;
			this.unacknowledged.add(publish);
			this.unacknowledgedBytes += publish.size;
		}
		ProtocolMessage message = (first.presence != null)
				? new ProtocolMessage(Action.PRESENCE).setPresence(List.of(first.presence))
				: new ProtocolMessage(Action.MESSAGE).setMessages((frame.size() == 1) ? List.of(first.message)
						: frame.stream().map((publish) -> publish.message).toList());
		this.sender.accept(message.setChannel(first.channel).setMsgSerial(msgSerial));
	}

	private boolean settle(long msgSerial, int count, @Nullable ErrorInfo error) {
		if (count <= 0 || msgSerial < 0 || msgSerial >= this.nextMsgSerial) {
			return false; // covers no message sent [RTN7b]
		}
		long end = msgSerial + count;
		while (!this.unacknowledged.isEmpty()) {
			Publish publish = this.unacknowledged.peek();
			long serial = (publish.msgSerial != null) ? publish.msgSerial : Long.MAX_VALUE;
			if (serial >= end) {
				break;
			}
			this.unacknowledged.poll();
			this.unacknowledgedBytes -= publish.size;
			this.bytes -= publish.size;
			if (serial < msgSerial) {
				this.statistics.onRefused();
				fail(publish, ErrorInfo.failed("The server acknowledged later messages but not msgSerial " + serial));
			}
			else if (error != null) {
				this.statistics.onRefused();
				fail(publish, error);
			}
			else {
				this.statistics.onAcknowledged(this.ticker.nanoTime() - publish.queuedAt);
				this.notifier.complete(publish.result, null);
			}
		}
		sendWaiting();
		publishSizes();
		return true;
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
			publishSizes();
		});
	}

	private void failExpired() {
		if (this.messageTtl == null) {
			return;
		}
		long oldestAllowed = this.ticker.nanoTime() - this.messageTtl.toNanos();
		while (!this.waiting.isEmpty() && this.waiting.peek().queuedAt - oldestAllowed <= 0) {
			Publish expired = this.waiting.poll();
			this.bytes -= expired.size;
			this.statistics.onQueueExpiry();
			fail(expired, ErrorInfo.timeout("The message waited longer than " + this.messageTtl
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
	 * How large a bundle may be.
	 *
	 * @param messageBytes the size of its messages, as the server's
	 * {@code maxMessageSize} counts them [RTL6d1]
	 * @param frameBytes about how many bytes its frame may take on the wire, so that the
	 * transport writes it with one socket write
	 */
	record BundleLimits(long messageBytes, long frameBytes) {
	}

	/**
	 * One published message, or presence message, and the future of its outcome.
	 */
	static final class Publish {

		private final String channel;

		private final @Nullable WireMessage message;

		private final @Nullable WirePresenceMessage presence;

		/** When the message was queued, in {@link Ticker} nanoseconds. */
		private final long queuedAt;

		private final CompletableFuture<Void> result;

		/** About how many bytes the message takes on the wire. */
		private final long size;

		/**
		 * The size of the message as the server's {@code maxMessageSize} counts it
		 * [RSL1i]; 0 for a presence message, which is never bundled.
		 */
		private final long messageSize;

		private @Nullable Long msgSerial;

		Publish(String channel, WireMessage message, long messageSize, long queuedAt, CompletableFuture<Void> result) {
			this.channel = channel;
			this.message = message;
			this.presence = null;
			this.messageSize = messageSize;
			this.queuedAt = queuedAt;
			this.result = result;
			// The envelope and field names, then what varies
			this.size = 100 + channel.length() + length(message.id()) + length(message.name())
					+ length(message.encoding()) + ((message.data() instanceof String text) ? text.length() : 0);
		}

		Publish(String channel, WirePresenceMessage presence, long queuedAt, CompletableFuture<Void> result) {
			this.channel = channel;
			this.message = null;
			this.presence = presence;
			this.messageSize = 0;
			this.queuedAt = queuedAt;
			this.result = result;
			this.size = 100 + channel.length() + length(presence.id()) + length(presence.clientId())
					+ length(presence.encoding()) + ((presence.data() instanceof String text) ? text.length() : 0);
		}

		private static int length(@Nullable String text) {
			return (text != null) ? text.length() : 0;
		}

		/**
		 * Return whether a message published after this one may travel in one frame with
		 * it [RTL6d2-4]: both channel messages on the same channel, with the same client
		 * id. Their ids are this client's own, one for each message (an application
		 * cannot set them [RTL6d7]), so the server still de-duplicates each on its own.
		 * @param next the later message
		 * @return whether the two may be bundled
		 */
		boolean bundlesWith(Publish next) {
			return this.message != null && next.message != null && this.channel.equals(next.channel)
					&& Objects.equals(this.message.clientId(), next.message.clientId());
		}

		void forgetSerial() {
			this.msgSerial = null;
		}

	}

}

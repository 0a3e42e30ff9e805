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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.realtime.client.protocol.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one connection. Counters are atomic, written by the actor or, for
 * what arrives, by the transport's reader; sizes of the publish queue and the latest
 * round trip are volatile snapshots the actor publishes. Reading never waits for the
 * actor.
 *
 * @author Realtime team
 */
final class ConnectionStatistics implements RealtimeStatistics {

	private static final long NO_PING = -1;

	private static final int INITIAL_ATTEMPTS = 0;

	private static final int RECONNECT_ATTEMPTS = 1;

	private static final int NEW_CONNECTIONS = 2;

	private static final int RESUMED_CONNECTIONS = 3;

	private static final int FAILED_RESUMES = 4;

	private static final int MESSAGES_RECEIVED = 5;

	private static final int MESSAGES_SENT = 6;

	private static final int BYTES_RECEIVED = 7;

	private static final int BYTES_SENT = 8;

	private static final int ACKNOWLEDGED = 9;

	private static final int REFUSED = 10;

	private static final int QUEUE_REJECTIONS = 11;

	private static final int QUEUE_EXPIRIES = 12;

	private static final int SLOW_SUBSCRIBER_EVENTS = 13;

	private static final int INBOUND_PAUSES = 14;

	private static final int COUNTERS = 15;

	private final IgnoredFrames ignored;

	private final ChannelRegistry channels;

	/**
	 * The counters, at the indexes above: one array, not an object per counter, as every
	 * connection has them all.
	 */
	private final AtomicLongArray counts = new AtomicLongArray(COUNTERS);

	private volatile int queuedMessages;

	private volatile int unacknowledgedMessages;

	private volatile long lastPingRoundTripNanos = NO_PING;

	private final TimingLane timings;

	/**
	 * Create the statistics of a connection.
	 * @param ignored the frames the connection ignored
	 * @param channels the connection's channels
	 * @param listenerExecutor where timing listeners run: never on the actor
	 */
	ConnectionStatistics(IgnoredFrames ignored, ChannelRegistry channels, Executor listenerExecutor) {
		this.ignored = ignored;
		this.channels = channels;
		this.timings = new TimingLane(listenerExecutor);
	}

	// Reading, on any thread

	@Override
	public long initialAttempts() {
		return this.counts.get(INITIAL_ATTEMPTS);
	}

	@Override
	public long reconnectAttempts() {
		return this.counts.get(RECONNECT_ATTEMPTS);
	}

	@Override
	public long newConnections() {
		return this.counts.get(NEW_CONNECTIONS);
	}

	@Override
	public long resumedConnections() {
		return this.counts.get(RESUMED_CONNECTIONS);
	}

	@Override
	public long failedResumes() {
		return this.counts.get(FAILED_RESUMES);
	}

	@Override
	public long messagesReceived() {
		return this.counts.get(MESSAGES_RECEIVED);
	}

	@Override
	public long messagesSent() {
		return this.counts.get(MESSAGES_SENT);
	}

	@Override
	public long bytesReceived() {
		return this.counts.get(BYTES_RECEIVED);
	}

	@Override
	public long bytesSent() {
		return this.counts.get(BYTES_SENT);
	}

	@Override
	public long acknowledged() {
		return this.counts.get(ACKNOWLEDGED);
	}

	@Override
	public long refused() {
		return this.counts.get(REFUSED);
	}

	@Override
	public long queueRejections() {
		return this.counts.get(QUEUE_REJECTIONS);
	}

	@Override
	public long queueExpiries() {
		return this.counts.get(QUEUE_EXPIRIES);
	}

	@Override
	public int queuedMessages() {
		return this.queuedMessages;
	}

	@Override
	public int unacknowledgedMessages() {
		return this.unacknowledgedMessages;
	}

	@Override
	public long subscriberBacklog() {
		long[] total = new long[1];
		this.channels.forEach((channel) -> total[0] += channel.pendingBytes());
		return total[0];
	}

	@Override
	public long slowSubscriberEvents() {
		return this.counts.get(SLOW_SUBSCRIBER_EVENTS);
	}

	@Override
	public long inboundPauses() {
		return this.counts.get(INBOUND_PAUSES);
	}

	@Override
	public long malformedFrames() {
		return this.ignored.malformedCount();
	}

	@Override
	public long unhandledFrames() {
		return this.ignored.unhandledCount();
	}

	@Override
	public @Nullable Duration lastPingRoundTrip() {
		long nanos = this.lastPingRoundTripNanos;
		return (nanos != NO_PING) ? Duration.ofNanos(nanos) : null;
	}

	@Override
	public List<ChannelStatistics> channels() {
		List<ChannelStatistics> channels = new ArrayList<>();
		this.channels.forEach((channel) -> channels.add(channel.statistics()));
		return channels;
	}

	// Listeners

	void addTimingListener(ConnectionTimingListener listener) {
		this.timings.add(listener);
	}

	void removeTimingListener(ConnectionTimingListener listener) {
		this.timings.remove(listener);
	}

	// Recording, on the actor unless said otherwise

	void onAttempt(boolean reconnect) {
		this.counts.incrementAndGet(reconnect ? RECONNECT_ATTEMPTS : INITIAL_ATTEMPTS);
	}

	/**
	 * The server accepted a connection.
	 * @param resumeRequested whether the client asked to resume one
	 * @param resumed whether the server resumed it
	 */
	void onConnected(boolean resumeRequested, boolean resumed) {
		if (resumed) {
			this.counts.incrementAndGet(RESUMED_CONNECTIONS);
		}
		else if (resumeRequested) {
			this.counts.incrementAndGet(FAILED_RESUMES);
		}
		else {
			this.counts.incrementAndGet(NEW_CONNECTIONS);
		}
	}

	/**
	 * A frame arrived. Called on the transport's reader.
	 * @param frame the frame's text
	 * @param messages how many channel messages it carries
	 */
	void onReceived(String frame, int messages) {
		this.counts.addAndGet(BYTES_RECEIVED, Utf8.encodedLength(frame));
		if (messages > 0) {
			this.counts.addAndGet(MESSAGES_RECEIVED, messages);
		}
	}

	/**
	 * A frame was handed to the transport.
	 * @param bytes the frame's size in UTF-8
	 * @param messages how many channel messages it carries
	 */
	void onSent(long bytes, int messages) {
		this.counts.addAndGet(BYTES_SENT, bytes);
		if (messages > 0) {
			this.counts.addAndGet(MESSAGES_SENT, messages);
		}
	}

	void onAcknowledged(long latencyNanos) {
		this.counts.incrementAndGet(ACKNOWLEDGED);
		this.timings.publishAcknowledged(latencyNanos);
	}

	void onRefused() {
		this.counts.incrementAndGet(REFUSED);
	}

	void onQueueRejection() {
		this.counts.incrementAndGet(QUEUE_REJECTIONS);
	}

	void onQueueExpiry() {
		this.counts.incrementAndGet(QUEUE_EXPIRIES);
	}

	void onQueueSizes(int queued, int unacknowledged) {
		this.queuedMessages = queued;
		this.unacknowledgedMessages = unacknowledged;
	}

	void onSlowSubscribers() {
		this.counts.incrementAndGet(SLOW_SUBSCRIBER_EVENTS);
	}

	void onInboundPause() {
		this.counts.incrementAndGet(INBOUND_PAUSES);
	}

	void onPingRoundTrip(long roundTripNanos) {
		this.lastPingRoundTripNanos = roundTripNanos;
		this.timings.pingRoundTrip(roundTripNanos);
	}

}

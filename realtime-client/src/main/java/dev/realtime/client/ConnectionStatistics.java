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
import java.util.concurrent.atomic.LongAdder;

import dev.realtime.client.protocol.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of one connection. Counters are {@link LongAdder}s, written by the actor
 * or, for what arrives, by the transport's reader; sizes of the publish queue and the
 * latest round trip are volatile snapshots the actor publishes. Reading never waits for
 * the actor.
 *
 * @author Realtime team
 */
final class ConnectionStatistics implements RealtimeStatistics {

	private static final long NO_PING = -1;

	private final IgnoredFrames ignored;

	private final ChannelRegistry channels;

	private final LongAdder initialAttempts = new LongAdder();

	private final LongAdder reconnectAttempts = new LongAdder();

	private final LongAdder newConnections = new LongAdder();

	private final LongAdder resumedConnections = new LongAdder();

	private final LongAdder failedResumes = new LongAdder();

	private final LongAdder messagesReceived = new LongAdder();

	private final LongAdder messagesSent = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder acknowledged = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final LongAdder queueRejections = new LongAdder();

	private final LongAdder queueExpiries = new LongAdder();

	private final LongAdder slowSubscriberEvents = new LongAdder();

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
		return this.initialAttempts.sum();
	}

	@Override
	public long reconnectAttempts() {
		return this.reconnectAttempts.sum();
	}

	@Override
	public long newConnections() {
		return this.newConnections.sum();
	}

	@Override
	public long resumedConnections() {
		return this.resumedConnections.sum();
	}

	@Override
	public long failedResumes() {
		return this.failedResumes.sum();
	}

	@Override
	public long messagesReceived() {
		return this.messagesReceived.sum();
	}

	@Override
	public long messagesSent() {
		return this.messagesSent.sum();
	}

	@Override
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	@Override
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	@Override
	public long acknowledged() {
		return this.acknowledged.sum();
	}

	@Override
	public long refused() {
		return this.refused.sum();
	}

	@Override
	public long queueRejections() {
		return this.queueRejections.sum();
	}

	@Override
	public long queueExpiries() {
		return this.queueExpiries.sum();
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
		return this.slowSubscriberEvents.sum();
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
		(reconnect ? this.reconnectAttempts : this.initialAttempts).increment();
	}

	/**
	 * The server accepted a connection.
	 * @param resumeRequested whether the client asked to resume one
	 * @param resumed whether the server resumed it
	 */
	void onConnected(boolean resumeRequested, boolean resumed) {
		if (resumed) {
			this.resumedConnections.increment();
		}
		else if (resumeRequested) {
			this.failedResumes.increment();
		}
		else {
			this.newConnections.increment();
		}
	}

	/**
	 * A frame arrived. Called on the transport's reader.
	 * @param frame the frame's text
	 * @param messages how many channel messages it carries
	 */
	void onReceived(String frame, int messages) {
		this.bytesReceived.add(Utf8.encodedLength(frame));
		if (messages > 0) {
			this.messagesReceived.add(messages);
		}
	}

	/**
	 * A frame was handed to the transport.
	 * @param bytes the frame's size in UTF-8
	 * @param messages how many channel messages it carries
	 */
	void onSent(long bytes, int messages) {
		this.bytesSent.add(bytes);
		if (messages > 0) {
			this.messagesSent.add(messages);
		}
	}

	void onAcknowledged(long latencyNanos) {
		this.acknowledged.increment();
		this.timings.publishAcknowledged(latencyNanos);
	}

	void onRefused() {
		this.refused.increment();
	}

	void onQueueRejection() {
		this.queueRejections.increment();
	}

	void onQueueExpiry() {
		this.queueExpiries.increment();
	}

	void onQueueSizes(int queued, int unacknowledged) {
		this.queuedMessages = queued;
		this.unacknowledgedMessages = unacknowledged;
	}

	void onSlowSubscribers() {
		this.slowSubscriberEvents.increment();
	}

	void onPingRoundTrip(long roundTripNanos) {
		this.lastPingRoundTripNanos = roundTripNanos;
		this.timings.pingRoundTrip(roundTripNanos);
	}

}

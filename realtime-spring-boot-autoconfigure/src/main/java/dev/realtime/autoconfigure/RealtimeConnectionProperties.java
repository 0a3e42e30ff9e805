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

package dev.realtime.autoconfigure;

import java.net.URI;
import java.time.Duration;

import dev.realtime.client.SlowSubscriberPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of one realtime connection: those of {@code realtime.*}, and
 * of each named connection under {@code realtime.connections.<name>.*}.
 *
 * @author Realtime team
 * @see RealtimeProperties
 */
public class RealtimeConnectionProperties {

	/**
	 * WebSocket URL of the realtime server, with a ws or wss scheme.
	 */
	private @Nullable URI url;

	/**
	 * API key to authenticate with, used in preference to the token.
	 */
	private @Nullable String key;

	/**
	 * Access token to authenticate with.
	 */
	private @Nullable String token;

	/**
	 * Client id to connect as.
	 */
	private @Nullable String clientId;

	/**
	 * Whether to connect when the application context starts.
	 */
	private boolean autoConnect = true;

	/**
	 * Whether the server sends the messages this connection publishes back to it.
	 */
	private boolean echoMessages = true;

	/**
	 * Whether a key may be sent over ws:// to a host that is not loopback, in clear text.
	 */
	private boolean allowKeyOverPlainWebSocket;

	/**
	 * Recovery key of a connection to take over on the first connect, as another
	 * instance's connection().recoveryKey() gave it. Never logged, and never inherited by
	 * a named connection.
	 */
	private @Nullable String recover;

	/**
	 * How long the server keeps the state of a dropped connection, until the server says
	 * otherwise.
	 */
	private Duration connectionStateTtl = Duration.ofMinutes(2);

	private final Timeouts timeouts = new Timeouts();

	private final Retry retry = new Retry();

	private final Queue queue = new Queue();

	private final Subscribers subscribers = new Subscribers();

	private final Channels channels = new Channels();

	private final Limits limits = new Limits();

	private final Transport transport = new Transport();

	private final Ssl ssl = new Ssl();

	public @Nullable String getRecover() {
		return this.recover;
	}

	public void setRecover(@Nullable String recover) {
		this.recover = recover;
	}

	public boolean isAllowKeyOverPlainWebSocket() {
		return this.allowKeyOverPlainWebSocket;
	}

	public void setAllowKeyOverPlainWebSocket(boolean allowKeyOverPlainWebSocket) {
		this.allowKeyOverPlainWebSocket = allowKeyOverPlainWebSocket;
	}

	public @Nullable URI getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable URI url) {
		this.url = url;
	}

	public @Nullable String getKey() {
		return this.key;
	}

	public void setKey(@Nullable String key) {
		this.key = key;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public boolean isAutoConnect() {
		return this.autoConnect;
	}

	public void setAutoConnect(boolean autoConnect) {
		this.autoConnect = autoConnect;
	}

	public boolean isEchoMessages() {
		return this.echoMessages;
	}

	public void setEchoMessages(boolean echoMessages) {
		this.echoMessages = echoMessages;
	}

	public Duration getConnectionStateTtl() {
		return this.connectionStateTtl;
	}

	public void setConnectionStateTtl(Duration connectionStateTtl) {
		this.connectionStateTtl = connectionStateTtl;
	}

	public Timeouts getTimeouts() {
		return this.timeouts;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Queue getQueue() {
		return this.queue;
	}

	public Subscribers getSubscribers() {
		return this.subscribers;
	}

	public Channels getChannels() {
		return this.channels;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Transport getTransport() {
		return this.transport;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public static class Timeouts {

		/**
		 * How long a connection attempt may take until the server accepts it.
		 */
		private Duration connect = Duration.ofSeconds(10);

		/**
		 * How long to wait for the server to answer a request such as a ping or a close,
		 * also the grace added to the server's idle interval.
		 */
		private Duration request = Duration.ofSeconds(10);

		public Duration getConnect() {
			return this.connect;
		}

		public void setConnect(Duration connect) {
			this.connect = connect;
		}

		public Duration getRequest() {
			return this.request;
		}

		public void setRequest(Duration request) {
			this.request = request;
		}

	}

	public static class Retry {

		/**
		 * Delay before the first reconnect attempt of an outage, from which later
		 * attempts back off.
		 */
		private Duration initialDelay = Duration.ofSeconds(15);

		/**
		 * Longest delay between two reconnect attempts while disconnected.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Maximum number of reconnect attempts in one outage before the connection fails,
		 * or unlimited if not set.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * How long a connection must stay connected before its next drop starts a new
		 * outage with a fresh back-off.
		 */
		private Duration resetAfter = Duration.ofSeconds(30);

		/**
		 * Delay between reconnect attempts while suspended.
		 */
		private Duration suspendedInterval = Duration.ofSeconds(30);

		/**
		 * Delay before a suspended channel attaches again, from which later attempts back
		 * off.
		 */
		private Duration channelInterval = Duration.ofSeconds(15);

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getResetAfter() {
			return this.resetAfter;
		}

		public void setResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
		}

		public Duration getSuspendedInterval() {
			return this.suspendedInterval;
		}

		public void setSuspendedInterval(Duration suspendedInterval) {
			this.suspendedInterval = suspendedInterval;
		}

		public Duration getChannelInterval() {
			return this.channelInterval;
		}

		public void setChannelInterval(Duration channelInterval) {
			this.channelInterval = channelInterval;
		}

	}

	public static class Queue {

		/**
		 * Maximum number of published messages waiting to be sent or acknowledged;
		 * publishing beyond it fails at once.
		 */
		private int capacity = 1000;

		/**
		 * Maximum size of the published messages waiting to be sent or acknowledged;
		 * publishing beyond it fails at once.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(16);

		/**
		 * Size of the published messages that may be sent and not yet acknowledged; later
		 * messages wait in the queue, so that a slow link slows publishing.
		 */
		private DataSize sendWindow = DataSize.ofMegabytes(1);

		/**
		 * How long a published message may wait for the connection before it fails
		 * instead of being sent late, or without limit if not set.
		 */
		private @Nullable Duration messageTtl;

		/**
		 * Whether messages published one after the other on the same channel travel in
		 * one frame with one msgSerial, so that the server acknowledges, or refuses, them
		 * together. Version 5.0.0 of the protocol's specification forbids it: use it only
		 * with a server known to accept such frames.
		 */
		private boolean bundleMessages;

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public DataSize getSendWindow() {
			return this.sendWindow;
		}

		public void setSendWindow(DataSize sendWindow) {
			this.sendWindow = sendWindow;
		}

		public @Nullable Duration getMessageTtl() {
			return this.messageTtl;
		}

		public void setMessageTtl(@Nullable Duration messageTtl) {
			this.messageTtl = messageTtl;
		}

		public boolean isBundleMessages() {
			return this.bundleMessages;
		}

		public void setBundleMessages(boolean bundleMessages) {
			this.bundleMessages = bundleMessages;
		}

	}

	public static class Channels {

		/**
		 * Whether subscribing to an initialized, detaching or detached channel attaches
		 * it.
		 */
		private boolean attachOnSubscribe = true;

		public boolean isAttachOnSubscribe() {
			return this.attachOnSubscribe;
		}

		public void setAttachOnSubscribe(boolean attachOnSubscribe) {
			this.attachOnSubscribe = attachOnSubscribe;
		}

	}

	public static class Subscribers {

		/**
		 * Size of the received messages that may wait for one channel's subscribers
		 * before the connection stops reading until they catch up.
		 */
		private DataSize bufferSize = DataSize.ofMegabytes(8);

		/**
		 * How long one channel's subscribers may hold the connection back before they are
		 * slow and their channel applies the slow policy.
		 */
		private Duration maxPause = Duration.ofSeconds(1);

		/**
		 * What a channel does while its subscribers are slow.
		 */
		private SlowSubscriberPolicy slowPolicy = SlowSubscriberPolicy.REATTACH;

		public DataSize getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(DataSize bufferSize) {
			this.bufferSize = bufferSize;
		}

		public Duration getMaxPause() {
			return this.maxPause;
		}

		public void setMaxPause(Duration maxPause) {
			this.maxPause = maxPause;
		}

		public SlowSubscriberPolicy getSlowPolicy() {
			return this.slowPolicy;
		}

		public void setSlowPolicy(SlowSubscriberPolicy slowPolicy) {
			this.slowPolicy = slowPolicy;
		}

	}

	public static class Limits {

		/**
		 * Largest frame to read from the server; a larger frame is rejected, counted as
		 * malformed, and drops the connection.
		 */
		private DataSize maxInboundFrameSize = DataSize.ofMegabytes(1);

		public DataSize getMaxInboundFrameSize() {
			return this.maxInboundFrameSize;
		}

		public void setMaxInboundFrameSize(DataSize maxInboundFrameSize) {
			this.maxInboundFrameSize = maxInboundFrameSize;
		}

	}

	public static class Transport {

		/**
		 * Size of the outbound frames that may wait to be written to the server before
		 * the connection is dropped and resumed. Must be larger than the queue's send
		 * window; by default the send window plus 1MB.
		 */
		private @Nullable DataSize sendBufferSize;

		/**
		 * How long one write to the server, or the closing handshake, may take before the
		 * connection is dropped and resumed; by default the request timeout.
		 */
		private @Nullable Duration sendTimeLimit;

		public @Nullable DataSize getSendBufferSize() {
			return this.sendBufferSize;
		}

		public void setSendBufferSize(@Nullable DataSize sendBufferSize) {
			this.sendBufferSize = sendBufferSize;
		}

		public @Nullable Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(@Nullable Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

	}

	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that wss:// connections trust, and
		 * whose key, if it has one, is the client certificate.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}

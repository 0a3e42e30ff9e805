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

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * How a {@link RealtimeClient} connects: where, with which credentials, and how it times
 * out and retries. Immutable; build one with {@link #builder(URI)}. Defaults are those of
 * the Ably protocol where it has them.
 *
 * @param name the name of the connection, which tells it apart from the application's
 * other connections in logs, events, health, metrics and the Actuator endpoint;
 * {@value #DEFAULT_NAME} unless set
 * @param url the WebSocket URL of the server ({@code ws://} or {@code wss://})
 * @param key the API key ({@code appId.keyId:secret}), or {@code null}
 * @param token the access token, or {@code null}
 * @param clientId the client id to connect as, or {@code null}
 * @param echoMessages whether the server echoes this connection's own messages back to it
 * @param connectTimeout how long a connection attempt may take until {@code CONNECTED}
 * @param requestTimeout how long to wait for the answer to a request ({@code HEARTBEAT},
 * {@code CLOSE}), and the grace added to the server's idle interval
 * @param connectionStateTtl how long the server keeps a dropped connection's state, until
 * the server says otherwise
 * @param maxIdleInterval how long the server may stay silent, until the server says
 * otherwise
 * @param retry how to retry
 * @param queueCapacity how many published messages may wait to be sent or acknowledged
 * @param queueMaxSize how many bytes of published messages may wait to be sent or
 * acknowledged
 * @param queueSendWindow how many bytes of published messages may be sent and not yet
 * acknowledged; later messages wait in the queue
 * @param messageTtl how long a published message may wait to be sent before it fails, or
 * {@code null} to wait for as long as the connection may recover
 * @param subscribers how much subscribers may fall behind, and what happens when they
 * fall further
 * @param attachOnSubscribe whether subscribing to a channel attaches it [RTL7g]
 * @param maxInboundFrameSize the largest frame the client reads from the server; a larger
 * one is rejected, counted as malformed, and drops the transport
 * @param recover the recovery key of a connection to take over on the first connect
 * [RTN16i], as another instance's {@link RealtimeConnection#recoveryKey()} gave it, or
 * {@code null}; a secret, like the connection key it holds
 * @param bundleMessages whether messages published one after the other on the same
 * channel may travel in one frame, as the protocol allowed before version 5.0.0 of its
 * specification (RTL6d): fewer frames and acknowledgements, but the server accepts or
 * refuses the messages of a frame together
 * @author Realtime team
 */
public record RealtimeClientOptions(String name, URI url, @Nullable String key, @Nullable String token,
		@Nullable String clientId, boolean echoMessages, Duration connectTimeout, Duration requestTimeout,
		Duration connectionStateTtl, Duration maxIdleInterval, Retry retry, int queueCapacity, DataSize queueMaxSize,
		DataSize queueSendWindow, @Nullable Duration messageTtl, Subscribers subscribers, boolean attachOnSubscribe,
		DataSize maxInboundFrameSize, @Nullable String recover, boolean bundleMessages) {

	/**
	 * The name of a connection that was given none: that of the connection configured
	 * with {@code realtime.*} in a Spring Boot application.
	 */
	public static final String DEFAULT_NAME = "default";

	public RealtimeClientOptions {
		Assert.isTrue(StringUtils.hasText(name) && !StringUtils.containsWhitespace(name),
				() -> "'name' must not be empty or contain whitespace, but was '" + name + "'");
		Assert.notNull(url, "'url' must not be null");
		Assert.isTrue("ws".equalsIgnoreCase(url.getScheme()) || "wss".equalsIgnoreCase(url.getScheme()),
				() -> "'url' must be a ws:// or wss:// URL, not " + redact(url));
		assertPositive(connectTimeout, "connectTimeout");
		assertPositive(requestTimeout, "requestTimeout");
		assertPositive(connectionStateTtl, "connectionStateTtl");
		assertPositive(maxIdleInterval, "maxIdleInterval");
		Assert.notNull(retry, "'retry' must not be null");
		Assert.isTrue(queueCapacity > 0, "'queueCapacity' must be positive");
		Assert.isTrue(queueMaxSize != null && queueMaxSize.toBytes() > 0, "'queueMaxSize' must be positive");
		Assert.isTrue(queueSendWindow != null && queueSendWindow.toBytes() > 0, "'queueSendWindow' must be positive");
		Assert.isTrue(messageTtl == null || messageTtl.compareTo(Duration.ZERO) > 0, "'messageTtl' must be positive");
		Assert.notNull(subscribers, "'subscribers' must not be null");
		Assert.isTrue(
				maxInboundFrameSize != null && maxInboundFrameSize.toBytes() > 0
						&& maxInboundFrameSize.toBytes() <= Integer.MAX_VALUE,
				"'maxInboundFrameSize' must be positive and at most 2 GB");
	}

	/**
	 * Start building options for the given server URL.
	 * @param url the WebSocket URL of the server
	 * @return a builder with the defaults
	 */
	public static Builder builder(URI url) {
		return new Builder(url);
	}

	/**
	 * Return the URL without credentials: no user info and no query.
	 * @return the URL, safe to log
	 */
	public String redactedUrl() {
		return redact(this.url);
	}

	/**
	 * Return the given URL without user info, query or fragment, any of which may hold a
	 * secret.
	 * @param url the URL
	 * @return the URL, safe to log
	 */
	public static String redact(URI url) {
		if (url.isOpaque()) {
			String part = url.getRawSchemeSpecificPart();
			int query = part.indexOf('?');
			return url.getScheme() + ":" + ((query != -1) ? part.substring(0, query) : part);
		}
		return UriComponentsBuilder.fromUri(url).userInfo(null).replaceQuery(null).fragment(null).build().toUriString();
	}

	static void assertPositive(@Nullable Duration duration, String name) {
		Assert.isTrue(duration != null && duration.compareTo(Duration.ZERO) > 0,
				() -> "'" + name + "' must be positive");
	}

	@Override
	public String toString() {
		return "RealtimeClientOptions[name=" + this.name + ", url=" + redactedUrl() + ", key=" + mask(this.key)
				+ ", token=" + mask(this.token) + ", clientId=" + this.clientId + ", echoMessages=" + this.echoMessages
				+ ", connectTimeout=" + this.connectTimeout + ", requestTimeout=" + this.requestTimeout
				+ ", connectionStateTtl=" + this.connectionStateTtl + ", maxIdleInterval=" + this.maxIdleInterval
				+ ", retry=" + this.retry + ", queueCapacity=" + this.queueCapacity + ", queueMaxSize="
				+ this.queueMaxSize + ", queueSendWindow=" + this.queueSendWindow + ", messageTtl=" + this.messageTtl
				+ ", subscribers=" + this.subscribers + ", attachOnSubscribe=" + this.attachOnSubscribe
				+ ", maxInboundFrameSize=" + this.maxInboundFrameSize + ", recover=" + mask(this.recover)
				+ ", bundleMessages=" + this.bundleMessages + "]";
	}

	private static @Nullable String mask(@Nullable String secret) {
		return (secret != null) ? "******" : null;
	}

	/**
	 * How a connection retries. The n-th delay of an outage is
	 * {@code initialDelay × min((n + 2) / 3, 2) × random[0.8, 1]}, capped at
	 * {@code maxDelay}.
	 *
	 * @param initialDelay the delay before the first retry of an outage
	 * @param maxDelay the longest delay between two attempts while disconnected
	 * @param maxAttempts how many attempts an outage may take before the connection
	 * fails, or {@code null} for no limit
	 * @param resetAfter how long a connection must stay connected before a new drop
	 * counts as a new outage
	 * @param suspendedInterval the delay between attempts while suspended
	 * @param channelInterval the initial delay before a suspended channel attaches again;
	 * later delays grow as the connection's do
	 */
	public record Retry(Duration initialDelay, Duration maxDelay, @Nullable Integer maxAttempts, Duration resetAfter,
			Duration suspendedInterval, Duration channelInterval) {

		public Retry {
			assertPositive(initialDelay, "retry.initialDelay");
			assertPositive(maxDelay, "retry.maxDelay");
			Assert.isTrue(maxAttempts == null || maxAttempts > 0, "'retry.maxAttempts' must be positive");
			Assert.isTrue(resetAfter != null && !resetAfter.isNegative(), "'retry.resetAfter' must not be negative");
			assertPositive(suspendedInterval, "retry.suspendedInterval");
			assertPositive(channelInterval, "retry.channelInterval");
		}

	}

	/**
	 * How far each channel's subscribers may fall behind. Received messages wait for
	 * their subscribers on a lane of the channel's own; when the messages waiting exceed
	 * {@code bufferSize}, the connection stops reading (TCP back-pressure) until they
	 * drain; if they stay above it for longer than {@code maxPause}, the channel's
	 * subscribers are slow and the channel applies the {@code slowPolicy}, and the
	 * connection reads on.
	 *
	 * @param bufferSize how many bytes of received messages may wait for one channel's
	 * subscribers
	 * @param maxPause how long one channel's subscribers may hold back the whole
	 * connection
	 * @param slowPolicy what the channel does once its subscribers are slow
	 */
	public record Subscribers(DataSize bufferSize, Duration maxPause, SlowSubscriberPolicy slowPolicy) {

		public Subscribers {
			Assert.isTrue(bufferSize != null && bufferSize.toBytes() > 0, "'subscribers.bufferSize' must be positive");
			assertPositive(maxPause, "subscribers.maxPause");
			Assert.notNull(slowPolicy, "'subscribers.slowPolicy' must not be null");
		}

	}

	/**
	 * Builds {@link RealtimeClientOptions}.
	 */
	public static final class Builder {

		private String name = DEFAULT_NAME;

		private final URI url;

		private @Nullable String key;

		private @Nullable String token;

		private @Nullable String clientId;

		private boolean echoMessages = true;

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration requestTimeout = Duration.ofSeconds(10);

		private Duration connectionStateTtl = Duration.ofMinutes(2);

		private Duration maxIdleInterval = Duration.ofSeconds(15);

		private Duration initialDelay = Duration.ofSeconds(15);

		private Duration maxDelay = Duration.ofSeconds(30);

		private @Nullable Integer maxAttempts;

		private Duration resetAfter = Duration.ofSeconds(30);

		private Duration suspendedInterval = Duration.ofSeconds(30);

		private Duration channelInterval = Duration.ofSeconds(15);

		private int queueCapacity = 1000;

		private DataSize queueMaxSize = DataSize.ofMegabytes(16);

		private DataSize queueSendWindow = DataSize.ofMegabytes(1);

		private @Nullable Duration messageTtl;

		private DataSize subscriberBufferSize = DataSize.ofMegabytes(8);

		private DataSize maxInboundFrameSize = DataSize.ofMegabytes(1);

		private @Nullable String recover;

		private boolean bundleMessages;

		private Duration subscriberMaxPause = Duration.ofSeconds(1);

		private SlowSubscriberPolicy slowSubscriberPolicy = SlowSubscriberPolicy.REATTACH;

		private boolean attachOnSubscribe = true;

		private Builder(URI url) {
			this.url = url;
		}

		/**
		 * Name the connection, to tell it apart from the application's other connections
		 * in logs, events, health, metrics and the Actuator endpoint.
		 * @param name the name: not empty, no whitespace;
		 * {@value RealtimeClientOptions#DEFAULT_NAME} unless set
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder key(@Nullable String key) {
			this.key = key;
			return this;
		}

		public Builder token(@Nullable String token) {
			this.token = token;
			return this;
		}

		public Builder clientId(@Nullable String clientId) {
			this.clientId = clientId;
			return this;
		}

		public Builder echoMessages(boolean echoMessages) {
			this.echoMessages = echoMessages;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		public Builder connectionStateTtl(Duration connectionStateTtl) {
			this.connectionStateTtl = connectionStateTtl;
			return this;
		}

		public Builder maxIdleInterval(Duration maxIdleInterval) {
			this.maxIdleInterval = maxIdleInterval;
			return this;
		}

		public Builder retryInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
			return this;
		}

		public Builder retryMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
			return this;
		}

		public Builder retryMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder retryResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
			return this;
		}

		public Builder retrySuspendedInterval(Duration suspendedInterval) {
			this.suspendedInterval = suspendedInterval;
			return this;
		}

		public Builder retryChannelInterval(Duration channelInterval) {
			this.channelInterval = channelInterval;
			return this;
		}

		public Builder queueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
			return this;
		}

		public Builder queueMaxSize(DataSize queueMaxSize) {
			this.queueMaxSize = queueMaxSize;
			return this;
		}

		public Builder queueSendWindow(DataSize queueSendWindow) {
			this.queueSendWindow = queueSendWindow;
			return this;
		}

		public Builder messageTtl(@Nullable Duration messageTtl) {
			this.messageTtl = messageTtl;
			return this;
		}

		public Builder subscriberBufferSize(DataSize bufferSize) {
			this.subscriberBufferSize = bufferSize;
			return this;
		}

		public Builder subscriberMaxPause(Duration maxPause) {
			this.subscriberMaxPause = maxPause;
			return this;
		}

		public Builder slowSubscriberPolicy(SlowSubscriberPolicy slowPolicy) {
			this.slowSubscriberPolicy = slowPolicy;
			return this;
		}

		public Builder attachOnSubscribe(boolean attachOnSubscribe) {
			this.attachOnSubscribe = attachOnSubscribe;
			return this;
		}

		public Builder maxInboundFrameSize(DataSize maxInboundFrameSize) {
			this.maxInboundFrameSize = maxInboundFrameSize;
			return this;
		}

		/**
		 * Take over the connection of the given recovery key on the first connect
		 * [RTN16i]: its channels are created with their serials (attach them to get what
		 * they missed) and publishing continues its {@code msgSerial}. A key that cannot
		 * be read is logged and ignored [RTN16f1]; one the server can no longer recover
		 * connects anew, and the {@code CONNECTED} reason says so [RTN16l].
		 * @param recover the recovery key, or {@code null}
		 * @return this builder
		 */
		public Builder recover(@Nullable String recover) {
			this.recover = recover;
			return this;
		}

		/**
		 * Send messages published one after the other on the same channel in one frame
		 * with one {@code msgSerial}, within the constraints of the protocol's former
		 * clause RTL6d: only channel messages with the same client id, at most 999 and
		 * {@code maxMessageSize} bytes in a frame, and no more than the transport writes
		 * with one socket write. The server then acknowledges, or refuses, the messages
		 * of a frame together, so that one message it refuses fails the others of its
		 * frame too. Off by default: version 5.0.0 of the protocol's specification
		 * forbids it, so use it only with a server known to handle such frames.
		 * @param bundleMessages whether to bundle messages
		 * @return this builder
		 */
		public Builder bundleMessages(boolean bundleMessages) {
			this.bundleMessages = bundleMessages;
			return this;
		}

		public RealtimeClientOptions build() {
			return new RealtimeClientOptions(this.name, this.url, this.key, this.token, this.clientId,
					this.echoMessages, this.connectTimeout, this.requestTimeout, this.connectionStateTtl,
					this.maxIdleInterval,
					new Retry(this.initialDelay, this.maxDelay, this.maxAttempts, this.resetAfter,
							this.suspendedInterval, this.channelInterval),
					this.queueCapacity, this.queueMaxSize, this.queueSendWindow, this.messageTtl,
					new Subscribers(this.subscriberBufferSize, this.subscriberMaxPause, this.slowSubscriberPolicy),
					this.attachOnSubscribe, this.maxInboundFrameSize, this.recover, this.bundleMessages);
		}

	}

}

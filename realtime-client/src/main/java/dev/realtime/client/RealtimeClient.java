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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.WebSocketTransportFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * A client of a realtime service: one managed connection that reconnects, resumes and
 * reports its state. Build one with {@link #builder(RealtimeClientOptions)}; in a Spring
 * Boot application, inject the auto-configured bean instead.
 * <p>
 * Threads and callbacks: the connection runs on the scheduler's threads and never runs
 * application code there. State listeners (of the connection and of channels, and slow
 * subscriber listeners) run in order on one listener lane; futures complete on the
 * completion executor, never on the listener lane, so a listener may wait on any future;
 * each channel's subscribers run on a lane of their own. A callback that blocks delays
 * only its own lane: later listener calls, or later messages of its own channel.
 *
 * @author Realtime team
 */
public class RealtimeClient {

	private final ConnectionManager connection;

	RealtimeClient(ConnectionManager connection) {
		this.connection = connection;
	}

	/**
	 * Start building a client.
	 * @param options how to connect
	 * @return the builder
	 */
	public static Builder builder(RealtimeClientOptions options) {
		return new Builder(options);
	}

	/**
	 * Return the name of this client's connection, which tells it apart from the
	 * application's other connections.
	 * @return the name
	 * @see RealtimeClientOptions.Builder#name(String)
	 */
	public String name() {
		return options().name();
	}

	/**
	 * Return the connection of this client.
	 * @return the connection
	 */
	public RealtimeConnection connection() {
		return this.connection;
	}

	/**
	 * Return the channel with the given name, the same instance for the same name.
	 * @param name the name of the channel
	 * @return the channel
	 */
	public RealtimeChannel channel(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return this.connection.channel(name, null);
	}

	/**
	 * Return the channel with the given name, created with the given options on first
	 * use; an existing channel with other options takes them as
	 * {@link RealtimeChannel#setOptions} does.
	 * @param name the name of the channel
	 * @param options the options: channel parameters and modes
	 * @return the channel
	 */
	public RealtimeChannel channel(String name, ChannelOptions options) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(options, "'options' must not be null");
		return this.connection.channel(name, options);
	}

	/**
	 * Detach the channel with the given name, if needed, and forget it [RTS4]. The
	 * released instance fails every later operation; {@link #channel(String)} then gives
	 * a new, initialized channel.
	 * @param name the name of the channel
	 * @return a future that completes once the channel is detached and forgotten (at once
	 * if there is no such channel), and fails if the server did not confirm the detach:
	 * the channel is forgotten all the same
	 */
	public CompletableFuture<Void> release(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return this.connection.release(name);
	}

	/**
	 * Add a listener for state changes of every channel of this client.
	 * @param listener the listener
	 */
	public void addChannelListener(ChannelStateListener listener) {
		this.connection.addChannelListener(listener);
	}

	/**
	 * Remove a listener added with {@link #addChannelListener}.
	 * @param listener the listener
	 */
	public void removeChannelListener(ChannelStateListener listener) {
		this.connection.removeChannelListener(listener);
	}

	/**
	 * Add a listener for channels whose subscribers become slow.
	 * @param listener the listener
	 * @see SlowSubscriberPolicy
	 */
	public void addSlowSubscriberListener(SlowSubscriberListener listener) {
		this.connection.addSlowSubscriberListener(listener);
	}

	/**
	 * Remove a listener added with {@link #addSlowSubscriberListener}.
	 * @param listener the listener
	 */
	public void removeSlowSubscriberListener(SlowSubscriberListener listener) {
		this.connection.removeSlowSubscriberListener(listener);
	}

	/**
	 * Return the options this client was built with.
	 * @return the options
	 */
	public RealtimeClientOptions options() {
		return this.connection.options();
	}

	/**
	 * Return how many inbound frames, or parts of frames, could not be read as protocol
	 * messages or made no sense, and were ignored: text that is not a protocol message, a
	 * field of the wrong type, a {@code null} message, an acknowledgement of nothing, a
	 * frame larger than the inbound frame limit.
	 * @return the count since the client was built
	 */
	public long malformedFrames() {
		return this.connection.malformedFrames();
	}

	/**
	 * Return how many protocol messages reached no handler and were ignored: those with
	 * an action this client does not know, or that only clients send, and those for a
	 * channel this client does not have. A server that speaks the protocol sends none, so
	 * anything but zero is worth a look.
	 * @return the count since the client was built
	 */
	public long unhandledFrames() {
		return this.connection.unhandledFrames();
	}

	/**
	 * Return what the connection has done since this client was built and where it
	 * stands: counters, the sizes of the publish queue, the subscribers' backlog, the
	 * latest ping round trip and a snapshot of each channel. Reading it never waits for
	 * the connection.
	 * @return the statistics, a live view
	 */
	public RealtimeStatistics statistics() {
		return this.connection.statistics();
	}

	/**
	 * Add a listener for timed events: ping round trips and the time from publishing a
	 * message to its {@code ACK}. It is called on the connection's own thread and must
	 * return at once.
	 * @param listener the listener
	 * @see ConnectionTimingListener
	 */
	public void addTimingListener(ConnectionTimingListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.connection.addTimingListener(listener);
	}

	/**
	 * Remove a listener added with {@link #addTimingListener}.
	 * @param listener the listener
	 */
	public void removeTimingListener(ConnectionTimingListener listener) {
		this.connection.removeTimingListener(listener);
	}

	@Override
	public String toString() {
		return "RealtimeClient[" + name() + ", " + options().redactedUrl() + ", " + this.connection.state() + "]";
	}

	/**
	 * Builds a {@link RealtimeClient}.
	 */
	public static final class Builder {

		private final RealtimeClientOptions options;

		private @Nullable TaskScheduler scheduler;

		private Ticker ticker = Ticker.system();

		private @Nullable Executor callbackExecutor;

		private @Nullable Executor completionExecutor;

		private @Nullable Executor subscriberExecutor;

		private @Nullable RealtimeTokenProvider tokenProvider;

		private @Nullable TransportFactory transportFactory;

		private RandomGenerator random = RandomGenerator.getDefault();

		private Builder(RealtimeClientOptions options) {
			Assert.notNull(options, "'options' must not be null");
			this.options = options;
		}

		/**
		 * Return the options the client is built with, for example to customize only the
		 * client of a given {@link RealtimeClientOptions#name() name}.
		 * @return the options
		 */
		public RealtimeClientOptions options() {
			return this.options;
		}

		/**
		 * Set the scheduler whose threads run the connection and its timers. Required;
		 * the client never shuts it down.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(TaskScheduler scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Set the monotonic time source of protocol timing (idle detection, the TTL,
		 * retries, round trips). Defaults to {@link Ticker#system()}; tests set a virtual
		 * one.
		 * @param ticker the ticker
		 * @return this builder
		 */
		public Builder ticker(Ticker ticker) {
			this.ticker = ticker;
			return this;
		}

		/**
		 * Set the executor on which the lanes of listeners and subscribers run. Each lane
		 * borrows one thread at a time and keeps it while its callback blocks, so the
		 * executor should run as many tasks at once as there may be busy lanes (the
		 * listener lane and one per channel). Defaults to a shared pool of daemon threads
		 * that end when idle. The client never shuts it down.
		 * @param callbackExecutor the executor
		 * @return this builder
		 */
		public Builder callbackExecutor(Executor callbackExecutor) {
			this.callbackExecutor = callbackExecutor;
			return this;
		}

		/**
		 * Set the executor that completes the futures the client returns, each in a task
		 * of its own; callbacks attached to them without an executor run there. Defaults
		 * to a shared {@link java.util.concurrent.ForkJoinPool}, which adds a thread
		 * while a callback waits on another future, so that such a wait cannot deadlock.
		 * The client never shuts it down.
		 * @param completionExecutor the executor
		 * @return this builder
		 */
		public Builder completionExecutor(Executor completionExecutor) {
			this.completionExecutor = completionExecutor;
			return this;
		}

		/**
		 * Set the factory that opens transports. Defaults to a
		 * {@link WebSocketTransportFactory}.
		 * @param transportFactory the factory
		 * @return this builder
		 */
		public Builder transportFactory(TransportFactory transportFactory) {
			this.transportFactory = transportFactory;
			return this;
		}

		/**
		 * Set the source of randomness for retry jitter and ping ids, for example a
		 * seeded generator to replay a run.
		 * @param random the generator
		 * @return this builder
		 */
		public Builder random(RandomGenerator random) {
			this.random = random;
			return this;
		}

		/**
		 * Set the provider of access tokens, used instead of the options' static token:
		 * called before connecting, when the server rejects the token, when it asks the
		 * client to re-authenticate, and ahead of a token's expiry.
		 * @param tokenProvider the provider
		 * @return this builder
		 */
		public Builder tokenProvider(RealtimeTokenProvider tokenProvider) {
			this.tokenProvider = tokenProvider;
			return this;
		}

		/**
		 * Run the lanes of subscribers on their own executor; for tests that hold them
		 * back on purpose.
		 * @param subscriberExecutor the executor
		 * @return this builder
		 */
		Builder subscriberExecutor(Executor subscriberExecutor) {
			this.subscriberExecutor = subscriberExecutor;
			return this;
		}

		/**
		 * Build the client. It does not connect until
		 * {@link RealtimeConnection#connect()} is called.
		 * @return the client
		 */
		public RealtimeClient build() {
			Assert.state(this.scheduler != null, "A scheduler is required");
			Assert.state(this.tokenProvider == null || this.options.key() == null,
					"A token provider cannot be used together with a key");
			TransportFactory transportFactory = (this.transportFactory != null) ? this.transportFactory
					: new WebSocketTransportFactory(this.options.connectTimeout(), this.options.requestTimeout(),
							sendBufferSizeLimit(this.options), this.options.maxInboundFrameSize());
			Executor callbacks = (this.callbackExecutor != null) ? this.callbackExecutor : SharedExecutors.callbacks();
			Executor completions = (this.completionExecutor != null) ? this.completionExecutor
					: SharedExecutors.completions();
			Executor subscribers = (this.subscriberExecutor != null) ? this.subscriberExecutor : callbacks;
			return new RealtimeClient(new ConnectionManager(this.options, transportFactory, this.scheduler, this.ticker,
					this.random, new CallbackExecutors(callbacks, subscribers, completions), this.tokenProvider));
		}

		/**
		 * Room for the send window and 1 MiB for the other frames: the publish queue
		 * never has more than the window sent and unacknowledged, a resend of its backlog
		 * on a new transport [RTN19a] included, so a buffer of this size overflows only
		 * when the link itself stalls.
		 */
		private static DataSize sendBufferSizeLimit(RealtimeClientOptions options) {
			return DataSize.ofBytes(options.queueSendWindow().toBytes() + DataSize.ofMegabytes(1).toBytes());
		}

	}

}

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

package dev.realtime.benchmarks.contenders;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.util.Log;
import org.jspecify.annotations.Nullable;

/**
 * The official Ably Java SDK, with its defaults except what a loopback server needs: the
 * host and port, no TLS, JSON rather than MessagePack, a token (it refuses a key over
 * plain WebSocket), and no fallback hosts.
 */
public final class AblyContender implements Contender {

	/**
	 * ably-java's maxIdleInterval until the server gives one
	 * ({@code Defaults.maxIdleInterval}).
	 */
	private static final Duration DEFAULT_MAX_IDLE_INTERVAL = Duration.ofSeconds(20);

	private final String host;

	private final int port;

	private final @Nullable Duration requestTimeout;

	private final ConnectionEvents events = new ConnectionEvents();

	private @Nullable AblyRealtime ably;

	/**
	 * Create a contender for the server at the given address.
	 * @param host the host
	 * @param port the port
	 * @param requestTimeout its {@code realtimeRequestTimeout}, {@code null} for the
	 * default (10 s)
	 */
	public AblyContender(String host, int port, @Nullable Duration requestTimeout) {
		this.host = host;
		this.port = port;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Return the options of this contender, which the connections benchmark uses too.
	 * @param host the server's host
	 * @param port the server's port
	 * @param echo whether the server should deliver the client's own messages back to it
	 * @return the options, {@code autoConnect} off
	 */
	public static ClientOptions options(String host, int port, boolean echo) {
		ClientOptions options = new ClientOptions();
		options.token = "bench";
		options.realtimeHost = host;
		options.restHost = host;
		options.port = port;
		options.tls = false;
		options.useBinaryProtocol = false;
		options.autoConnect = false;
		options.environment = null;
		options.fallbackHosts = new String[0];
		options.echoMessages = echo;
		options.logLevel = Log.WARN;
		return options;
	}

	@Override
	public String name() {
		return "ably";
	}

	@Override
	public void connect(boolean echo, Duration timeout) throws Exception {
		ClientOptions options = options(this.host, this.port, echo);
		if (this.requestTimeout != null) {
			options.realtimeRequestTimeout = this.requestTimeout.toMillis();
		}
		AblyRealtime ably = new AblyRealtime(options);
		this.ably = ably;
		ably.connection.on((change) -> {
			if (change.current == ConnectionState.connected && change.previous != ConnectionState.connected) {
				this.events.connected(ably.connection.id);
			}
			else if (change.current == ConnectionState.disconnected) {
				this.events.disconnected();
			}
		});
		int before = this.events.connectedCount();
		ably.connection.connect();
		if (this.events.awaitConnected(before, timeout) < 0) {
			throw new IllegalStateException("Not connected within " + timeout + ": " + ably.connection.state);
		}
	}

	private AblyRealtime ably() {
		return Objects.requireNonNull(this.ably, "Not connected");
	}

	@Override
	public String connectionId() {
		return ably().connection.id;
	}

	@Override
	public void subscribe(String channel, MessageListener listener, Duration timeout) throws Exception {
		ably().channels.get(channel)
			.subscribe((message) -> listener.onMessage(message.name, String.valueOf(message.data)));
		attach(channel, timeout);
	}

	@Override
	public void attach(String channel, Duration timeout) throws Exception {
		CompletableFuture<Void> attached = new CompletableFuture<>();
		ably().channels.get(channel).attach(completing((failure) -> {
			if (failure != null) {
				attached.completeExceptionally(failure);
			}
			else {
				attached.complete(null);
			}
		}));
		attached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void publish(String channel, String name, String data, PublishCallback callback) {
		try {
			Channel target = ably().channels.get(channel);
			target.publish(name, data, completing(callback));
		}
		catch (AblyException ex) {
			callback.done(ex);
		}
	}

	private static CompletionListener completing(PublishCallback callback) {
		return new CompletionListener() {

			@Override
			public void onSuccess() {
				callback.done(null);
			}

			@Override
			public void onError(ErrorInfo reason) {
				callback.done(new IllegalStateException(String.valueOf(reason)));
			}

		};
	}

	@Override
	public String idleTimeout(Duration maxIdleInterval) {
		Duration requestTimeout = Duration.ofMillis(ably().options.realtimeRequestTimeout);
		return Contenders.seconds(maxIdleInterval.plus(requestTimeout)) + ": maxIdleInterval "
				+ Contenders.seconds(maxIdleInterval) + " + realtimeRequestTimeout "
				+ Contenders.seconds(requestTimeout)
				+ ", from the last frame received, checked by a java.util.Timer per transport that fires 100 ms after"
				+ " the timeout is due, on the wall clock; but a transport arms its first check when its socket opens,"
				+ " with the maxIdleInterval known then (ably's default, "
				+ Contenders.seconds(DEFAULT_MAX_IDLE_INTERVAL)
				+ ", on a client's first connection), so a link that freezes within "
				+ Contenders.seconds(DEFAULT_MAX_IDLE_INTERVAL.plus(requestTimeout))
				+ " of a client's first connection is noticed only then";
	}

	@Override
	public ConnectionEvents events() {
		return this.events;
	}

	@Override
	public void close() {
		AblyRealtime ably = this.ably;
		if (ably != null) {
			ably.close();
		}
	}

}

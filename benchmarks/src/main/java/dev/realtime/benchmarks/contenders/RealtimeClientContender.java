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

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * This project's {@link RealtimeClient}, built as an application would build it: the
 * builder's defaults and a scheduler of three threads, as the auto-configuration sets it
 * up.
 */
public final class RealtimeClientContender implements Contender {

	private final String host;

	private final int port;

	private final Duration retryResetAfter;

	private final @Nullable Duration requestTimeout;

	private final boolean bundleMessages;

	private final ConnectionEvents events = new ConnectionEvents();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private @Nullable RealtimeClient client;

	/**
	 * Create a contender for the server at the given address.
	 * @param host the host
	 * @param port the port
	 * @param retryResetAfter how long a connection must stay up before a drop counts as a
	 * new outage, {@code null} for the default
	 * @param requestTimeout how long to wait for the answer to a request, {@code null}
	 * for the default
	 * @param bundleMessages whether messages published together travel in one frame
	 */
	public RealtimeClientContender(String host, int port, @Nullable Duration retryResetAfter,
			@Nullable Duration requestTimeout, boolean bundleMessages) {
		this.host = host;
		this.port = port;
		this.requestTimeout = requestTimeout;
		this.bundleMessages = bundleMessages;
		this.retryResetAfter = (retryResetAfter != null) ? retryResetAfter
				: RealtimeClientOptions.builder(URI.create("ws://localhost/")).build().retry().resetAfter();
		this.scheduler.setPoolSize(3);
		this.scheduler.setThreadNamePrefix("realtime-");
		this.scheduler.initialize();
	}

	@Override
	public String name() {
		return this.bundleMessages ? Contenders.BUNDLED : "realtime";
	}

	@Override
	public void connect(boolean echo, Duration timeout) throws Exception {
		RealtimeClientOptions.Builder builder = RealtimeClientOptions
			.builder(URI.create("ws://" + this.host + ":" + this.port + "/"))
			.token("bench")
			.echoMessages(echo)
			.retryResetAfter(this.retryResetAfter)
			.bundleMessages(this.bundleMessages);
		if (this.requestTimeout != null) {
			builder.requestTimeout(this.requestTimeout);
		}
		RealtimeClientOptions options = builder.build();
		RealtimeClient client = RealtimeClient.builder(options).scheduler(this.scheduler).build();
		this.client = client;
		client.connection().addListener((change) -> {
			if (change.current() == ConnectionState.CONNECTED && !change.isUpdate()) {
				this.events.connected(client.connection().id());
			}
			else if (change.current() == ConnectionState.DISCONNECTED) {
				this.events.disconnected();
			}
		});
		int before = this.events.connectedCount();
		client.connection().connect();
		if (this.events.awaitConnected(before, timeout) < 0) {
			throw new IllegalStateException("Not connected within " + timeout + ": " + client.connection().state());
		}
	}

	private RealtimeClient client() {
		return Objects.requireNonNull(this.client, "Not connected");
	}

	@Override
	public String connectionId() {
		return Objects.requireNonNull(client().connection().id(), "Not connected");
	}

	@Override
	public void subscribe(String channel, MessageListener listener, Duration timeout) throws Exception {
		client().channel(channel).subscribe((message) -> listener.onMessage(message.name(), (String) message.data()));
		attach(channel, timeout);
	}

	@Override
	public void attach(String channel, Duration timeout) throws Exception {
		client().channel(channel).attach().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void publish(String channel, String name, String data, PublishCallback callback) {
		client().channel(channel).publish(name, data).whenComplete((result, failure) -> callback.done(failure));
	}

	@Override
	public String idleTimeout(Duration maxIdleInterval) {
		Duration requestTimeout = client().options().requestTimeout();
		return Contenders.seconds(maxIdleInterval.plus(requestTimeout)) + ": maxIdleInterval "
				+ Contenders.seconds(maxIdleInterval) + " + request timeout " + Contenders.seconds(requestTimeout)
				+ ", from the last frame received, checked on the scheduler's monotonic clock";
	}

	@Override
	public ConnectionEvents events() {
		return this.events;
	}

	@Override
	public void close() {
		RealtimeClient client = this.client;
		if (client != null) {
			client.connection().close().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
		}
		this.scheduler.shutdown();
	}

}

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

package dev.realtime.test.integration;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds clients for integration tests, each behind its own TCP proxy, with timeouts
 * short enough for tests, and closes them all at the end.
 */
final class TestClients implements AutoCloseable {

	static final String KEY = "app.key:secret";

	private final NioReactor reactor;

	private final int serverPort;

	private final List<TcpCrusher> proxies = new ArrayList<>();

	private final List<RealtimeClient> clients = new ArrayList<>();

	private final List<ThreadPoolTaskScheduler> schedulers = new ArrayList<>();

	TestClients(int serverPort) throws IOException {
		this.reactor = new NioReactor();
		this.serverPort = serverPort;
	}

	/**
	 * Open a TCP proxy to the server on a free loopback port.
	 * @return the proxy
	 */
	TcpCrusher proxy() throws IOException {
		TcpCrusher proxy = TcpCrusherBuilder.builder()
			.withReactor(this.reactor)
			.withBindAddress("127.0.0.1", freePort())
			.withConnectAddress("127.0.0.1", this.serverPort)
			.buildAndOpen();
		this.proxies.add(proxy);
		return proxy;
	}

	/**
	 * Build a client that connects through the given proxy.
	 * @param proxy the proxy
	 * @param customizer customizes the options
	 * @param builder customizes the client
	 * @return the client, not yet connected
	 */
	RealtimeClient client(TcpCrusher proxy, UnaryOperator<RealtimeClientOptions.Builder> customizer,
			UnaryOperator<RealtimeClient.Builder> builder) {
		RealtimeClientOptions options = customizer
			.apply(RealtimeClientOptions.builder(URI.create("ws://127.0.0.1:" + proxy.getBindAddress().getPort()))
				.key(KEY)
				.connectTimeout(Duration.ofSeconds(1))
				.requestTimeout(Duration.ofSeconds(1))
				.retryInitialDelay(Duration.ofMillis(200))
				.retryMaxDelay(Duration.ofMillis(500))
				.retryResetAfter(Duration.ofMillis(500))
				.retrySuspendedInterval(Duration.ofMillis(500))
				.retryChannelInterval(Duration.ofMillis(500)))
			.build();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(3);
		scheduler.setThreadNamePrefix("realtime-test-");
		scheduler.initialize();
		this.schedulers.add(scheduler);
		RealtimeClient client = builder.apply(RealtimeClient.builder(options).scheduler(scheduler)).build();
		this.clients.add(client);
		return client;
	}

	RealtimeClient client(TcpCrusher proxy) {
		return client(proxy, UnaryOperator.identity(), UnaryOperator.identity());
	}

	/**
	 * Close every client, scheduler and proxy, then check that no client met a protocol
	 * message it had no handler for: the embedded server speaks the protocol, so every
	 * frame it sends must reach a handler.
	 */
	@Override
	public void close() {
		this.clients
			.forEach((client) -> client.connection().close().completeOnTimeout(null, 5, TimeUnit.SECONDS).join());
		this.schedulers.forEach(ThreadPoolTaskScheduler::shutdown);
		this.proxies.forEach(TcpCrusher::close);
		this.reactor.close();
		assertThat(this.clients).allSatisfy((client) -> assertThat(client.unhandledFrames())
			.as("protocol messages that reached no handler of %s", client)
			.isZero());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

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

package dev.realtime.client.transport;

import java.nio.channels.AsynchronousChannelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeWebSocketContainer}, against a real WebSocket server.
 *
 * @author Realtime team
 */
class RealtimeWebSocketContainerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private LoopbackWebSocketServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = LoopbackWebSocketServer.start();
	}

	@AfterEach
	void stopServer() throws Exception {
		this.server.close();
	}

	@Test
	void factoriesWithoutAClientOfTheirOwnShareTheContainerOfTheJvm() {
		WebSocketTransportFactory first = new WebSocketTransportFactory(TIMEOUT, TIMEOUT, DataSize.ofMegabytes(1));
		WebSocketTransportFactory second = new WebSocketTransportFactory(TIMEOUT, TIMEOUT, DataSize.ofMegabytes(1),
				DataSize.ofKilobytes(16));
		assertThat(containerOf(first.client())).isSameAs(containerOf(second.client()))
			.isSameAs(RealtimeWebSocketContainer.jvmDefault().getContainer());
	}

	@Test
	void clientsOfOneContainerShareItAndKeepTheirOwnSettings() {
		try (RealtimeWebSocketContainer container = RealtimeWebSocketContainer.create()) {
			WebSocketClient first = container.createClient(Duration.ofSeconds(3), null);
			WebSocketClient second = container.createClient(Duration.ofSeconds(7), null);
			assertThat(containerOf(first)).isSameAs(containerOf(second)).isSameAs(container.getContainer());
			assertThat(((CredentialSafeWebSocketClient) first).getUserProperties())
				.containsEntry(RealtimeWebSocketContainer.TOMCAT_IO_TIMEOUT, "3000");
			assertThat(((CredentialSafeWebSocketClient) second).getUserProperties())
				.containsEntry(RealtimeWebSocketContainer.TOMCAT_IO_TIMEOUT, "7000");
		}
	}

	@Test
	void closingTheContainerClosesTheWebSocketsStillOpenOnIt() {
		RealtimeWebSocketContainer container = RealtimeWebSocketContainer.create();
		WebSocketTransportFactory factory = new WebSocketTransportFactory(container.createClient(TIMEOUT, null),
				TIMEOUT, DataSize.ofMegabytes(1));
		RecordingListener first = new RecordingListener();
		RecordingListener second = new RecordingListener();
		factory.open(this.server.uri(), first);
		factory.open(this.server.uri(), second);
		await().atMost(TIMEOUT).until(() -> first.events.contains("open") && second.events.contains("open"));
		container.close();
		await().atMost(TIMEOUT).until(() -> this.server.closed() == 2);
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(first.events).hasSize(2).last().asString().startsWith("closed");
			assertThat(second.events).hasSize(2).last().asString().startsWith("closed");
		});
	}

	@Test
	void closingTheContainerOfTheJvmLeavesItsWebSocketsOpen() {
		WebSocketTransportFactory factory = new WebSocketTransportFactory(TIMEOUT, TIMEOUT, DataSize.ofMegabytes(1));
		RecordingListener listener = new RecordingListener();
		Transport transport = factory.open(this.server.uri(), listener);
		await().atMost(TIMEOUT).until(() -> listener.events.contains("open"));
		RealtimeWebSocketContainer.jvmDefault().close();
		transport.send("still open");
		await().atMost(TIMEOUT).until(() -> this.server.received().contains("still open"));
		assertThat(listener.events).containsExactly("open");
		transport.close();
	}

	@Test
	void tomcatsContainerReadsOnIoThreadsOfItsOwnThatEndWhenItCloses() throws Exception {
		RealtimeWebSocketContainer container = RealtimeWebSocketContainer.create();
		AsynchronousChannelGroup ioThreads = container.ioThreads();
		assertThat(ioThreads).isNotNull();
		WebSocketTransportFactory factory = new WebSocketTransportFactory(container.createClient(TIMEOUT, null),
				TIMEOUT, DataSize.ofMegabytes(1));
		RecordingListener listener = new RecordingListener();
		factory.open(this.server.uri(), listener);
		await().atMost(TIMEOUT).until(() -> listener.events.contains("open"));
		// Sent after the opening handshake: Tomcat reads what came with it on the thread
		// that connected
		this.server.send(0, "hello");
		await().atMost(TIMEOUT).until(() -> listener.events.contains("frame hello"));
		Thread reader = listener.frameThreads.get(0);
		assertThat(reader.getName()).startsWith("realtime-io-");
		container.close();
		await().atMost(TIMEOUT).until(ioThreads::isTerminated);
		await().atMost(TIMEOUT).until(() -> !reader.isAlive());
	}

	@Test
	void peersThatStopReadingAndPingHoldUpNoOtherConnection() throws Exception {
		// Tomcat's client answers a ping with a blocking write on the I/O thread, which
		// waits behind a write that the peer does not read: each such peer holds one
		// thread until the send time limit drops its connection, the others go on
		int stuck = TransportThreads.IO_THREADS - 1;
		String large = "x".repeat(64 * 1024);
		try (RealtimeWebSocketContainer container = RealtimeWebSocketContainer.create()) {
			WebSocketTransportFactory factory = new WebSocketTransportFactory(container.createClient(TIMEOUT, null),
					Duration.ofSeconds(60), DataSize.ofMegabytes(64));
			List<Transport> transports = new ArrayList<>();
			RecordingListener healthy = new RecordingListener();
			for (int i = 0; i <= stuck; i++) {
				RecordingListener listener = (i < stuck) ? new RecordingListener() : healthy;
				transports.add(factory.open(this.server.uri(), listener));
				await().atMost(TIMEOUT).until(() -> listener.events.contains("open"));
			}
			this.server.stopReading();
			for (int i = 0; i < stuck; i++) {
				WebSocketTransport transport = (WebSocketTransport) transports.get(i);
				for (int frame = 0; frame < 200; frame++) {
					transport.send(large);
				}
				await().atMost(TIMEOUT).until(() -> transport.bufferedBytes() > 4 * 1024 * 1024);
				int peer = i;
				await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
					this.server.ping(peer);
					return ioThreadsAnsweringPings() == peer + 1;
				});
			}
			this.server.send(stuck, "still reading");
			await().atMost(TIMEOUT).until(() -> healthy.events.contains("frame still reading"));
			this.server.resumeReading();
			await().atMost(Duration.ofSeconds(30)).until(() -> ioThreadsAnsweringPings() == 0);
		}
	}

	private static long ioThreadsAnsweringPings() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((thread) -> thread.getKey().getName().startsWith("realtime-io-"))
			.filter((thread) -> Arrays.stream(thread.getValue())
				.anyMatch((frame) -> frame.getMethodName().equals("sendPong")))
			.count();
	}

	@Test
	void theContainerOfTheJvmReadsOnIoThreadsOfItsOwn() throws Exception {
		WebSocketTransportFactory factory = new WebSocketTransportFactory(TIMEOUT, TIMEOUT, DataSize.ofMegabytes(1));
		RecordingListener listener = new RecordingListener();
		Transport transport = factory.open(this.server.uri(), listener);
		await().atMost(TIMEOUT).until(() -> listener.events.contains("open"));
		this.server.send(0, "hello");
		await().atMost(TIMEOUT).until(() -> listener.events.contains("frame hello"));
		assertThat(RealtimeWebSocketContainer.jvmDefault().ioThreads()).isNotNull();
		assertThat(listener.frameThreads.get(0).getName()).startsWith("realtime-io-");
		transport.close();
	}

	private static Object containerOf(WebSocketClient client) {
		return ((CredentialSafeWebSocketClient) client).container();
	}

	private static final class RecordingListener implements TransportListener {

		private final List<String> events = new CopyOnWriteArrayList<>();

		private final List<Thread> frameThreads = new CopyOnWriteArrayList<>();

		@Override
		public void onOpen(ReadControl reading) {
			this.events.add("open");
		}

		@Override
		public void onFrame(String frame) {
			this.frameThreads.add(Thread.currentThread());
			this.events.add("frame " + frame);
		}

		@Override
		public void onClosed(String reason) {
			this.events.add("closed " + reason);
		}

	}

}

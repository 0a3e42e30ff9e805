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

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the size of inbound frames, against a real WebSocket server on a loopback
 * port: a frame above the limit is rejected and counted, and the connection says why it
 * dropped, instead of the container closing it as an ordinary drop; frames larger than
 * the container's buffer arrive whole, and the buffer grows to fit them.
 */
class InboundFrameLimitTests {

	private static final DataSize LIMIT = DataSize.ofKilobytes(256);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final RecordingListener listener = new RecordingListener();

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
	void framesUpToTheLimitArriveWholeHoweverManyReadsTheyTake() {
		String ascii = "a".repeat((int) LIMIT.toBytes());
		String twoBytesEach = "é".repeat((int) LIMIT.toBytes() / 2);
		this.server.greet("small", ascii, twoBytesEach);
		this.server.greetBinary(ascii.getBytes(StandardCharsets.UTF_8));
		open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 4);
		assertThat(this.listener.frames).containsExactly("small", ascii, twoBytesEach, ascii);
		assertThat(this.listener.rejected).isEmpty();
		assertThat(this.listener.closed).isEmpty();
	}

	@Test
	void aTextFrameAboveTheLimitIsRejectedAndEndsTheTransportWithAClearReason() {
		this.server.greet("small", "x".repeat(5 * 1024 * 1024), "after");
		open();
		await().atMost(TIMEOUT).until(() -> !this.listener.closed.isEmpty());
		assertThat(this.listener.frames).containsExactly("small");
		assertThat(this.listener.rejected).singleElement()
			.asString()
			.contains("larger than " + LIMIT.toBytes() + " bytes")
			.contains("realtime.limits.max-inbound-frame-size");
		assertThat(this.listener.closed).singleElement().isEqualTo(this.listener.rejected.get(0));
	}

	@Test
	void aTextFrameIsMeasuredInUtf8Bytes() {
		this.server.greet("é".repeat((int) LIMIT.toBytes() / 2 + 1));
		open();
		await().atMost(TIMEOUT).until(() -> !this.listener.closed.isEmpty());
		assertThat(this.listener.frames).isEmpty();
		assertThat(this.listener.rejected).hasSize(1);
	}

	@Test
	void aBinaryFrameAboveTheLimitIsRejected() {
		this.server.greetBinary(new byte[(int) LIMIT.toBytes() + 1]);
		open();
		await().atMost(TIMEOUT).until(() -> !this.listener.closed.isEmpty());
		assertThat(this.listener.frames).isEmpty();
		assertThat(this.listener.rejected).hasSize(1);
	}

	@Test
	void aClientCountsTheFrameAndReportsWhyTheConnectionDropped() {
		this.server.greet("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\"}}",
				"{\"action\":0,\"padding\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}");
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		RealtimeClient client = RealtimeClient.builder(
				RealtimeClientOptions.builder(URI.create(this.server.uri().toString())).key("app.key:secret").build())
			.scheduler(scheduler)
			.build();
		List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
		client.connection().addListener(changes::add);
		try {
			assertThat(client.options().maxInboundFrameSize()).isEqualTo(DataSize.ofMegabytes(1));
			client.connection().connect();
			await().atMost(TIMEOUT)
				.until(() -> changes.stream().anyMatch((change) -> change.current() == ConnectionState.DISCONNECTED));
			assertThat(changes).filteredOn((change) -> change.current() == ConnectionState.DISCONNECTED)
				.first()
				.satisfies((change) -> {
					assertThat(change.previous()).isEqualTo(ConnectionState.CONNECTED);
					assertThat(change.reason().message()).contains("larger than 1048576 bytes")
						.contains("realtime.limits.max-inbound-frame-size");
				});
			assertThat(client.malformedFrames()).isOne();
		}
		finally {
			client.connection().close();
			scheduler.shutdown();
		}
	}

	@Test
	void anIdleConnectionKeepsTheSmallTextBufferItStartedWith() {
		this.server.greet("small");
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 1);
		assertThat(transport.textBufferSize()).isEqualTo(RealtimeWebSocketContainer.INITIAL_TEXT_BUFFER_SIZE);
	}

	@Test
	void aFrameThatArrivedInPartsGrowsTheTextBufferToTheNextPowerOfTwo() {
		String large = "a".repeat(3000);
		this.server.greet("small", large, large);
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 3);
		assertThat(this.listener.frames).containsExactly("small", large, large);
		assertThat(transport.textBufferSize()).isEqualTo(4096);
	}

	@Test
	void theTextBufferGrowsNoFurtherThanItsLargestSizeAndLargerFramesStillArriveWhole() {
		String huge = "a".repeat(100_000);
		this.server.greet(huge, "small", huge);
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 3);
		assertThat(this.listener.frames).containsExactly(huge, "small", huge);
		assertThat(transport.textBufferSize()).isEqualTo(WebSocketTransport.MAX_TEXT_BUFFER_SIZE);
	}

	@Test
	void anIdleConnectionKeepsTheSmallBinaryBufferItStartedWith() {
		this.server.greetBinary(ascii("small"));
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 1);
		assertThat(transport.binaryBufferSize()).isEqualTo(WebSocketTransport.INITIAL_BINARY_BUFFER_SIZE);
	}

	@Test
	void aBinaryFrameThatArrivedInPartsGrowsTheBinaryBufferToTheNextPowerOfTwo() {
		String large = "b".repeat(3000);
		this.server.greetBinary(ascii("small"), ascii(large), ascii(large));
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 3);
		assertThat(this.listener.frames).containsExactly("small", large, large);
		assertThat(transport.binaryBufferSize()).isEqualTo(4096);
	}

	@Test
	void theBinaryBufferGrowsNoFurtherThanItsLargestSizeAndLargerFramesStillArriveWhole() {
		String huge = "b".repeat(100_000);
		this.server.greetBinary(ascii(huge), ascii("small"), ascii(huge));
		WebSocketTransport transport = open();
		await().atMost(TIMEOUT).until(() -> this.listener.frames.size() == 3);
		assertThat(this.listener.frames).containsExactly(huge, "small", huge);
		assertThat(transport.binaryBufferSize()).isEqualTo(WebSocketTransport.MAX_BINARY_BUFFER_SIZE);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private WebSocketTransport open() {
		return (WebSocketTransport) new WebSocketTransportFactory(TIMEOUT, TIMEOUT, DataSize.ofMegabytes(1), LIMIT)
			.open(this.server.uri(), this.listener);
	}

	private static final class RecordingListener implements TransportListener {

		private final List<String> frames = new CopyOnWriteArrayList<>();

		private final List<String> rejected = new CopyOnWriteArrayList<>();

		private final List<String> closed = new CopyOnWriteArrayList<>();

		@Override
		public void onOpen(ReadControl reading) {
		}

		@Override
		public void onFrame(String frame) {
			this.frames.add(frame);
		}

		@Override
		public void onFrameRejected(String reason) {
			this.rejected.add(reason);
		}

		@Override
		public void onClosed(String reason) {
			this.closed.add(reason);
		}

	}

}

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

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import org.apache.tomcat.websocket.WsFrameBase;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WebSocketTransport} against a real WebSocket server on a loopback port, whose
 * reader can be stopped so that TCP pushes back on the client.
 */
class WebSocketTransportTests {

	private static final Duration LONG_TIME = Duration.ofSeconds(30);

	private static final long LARGE_BUFFER = 64 * 1024 * 1024;

	/** Sixteen times this is far more than the socket buffers on the way hold. */
	private static final String LARGE_FRAME = "x".repeat(64 * 1024);

	/**
	 * Far below the 20 s that Tomcat's blocking close would take on a stuck socket, and
	 * far above any scheduling hiccup.
	 */
	private static final Duration AT_ONCE = Duration.ofSeconds(2);

	private final StandardWebSocketClient client = new StandardWebSocketClient();

	private final CountingExecutor workers = new CountingExecutor();

	private final RecordingListener listener = new RecordingListener();

	private LoopbackWebSocketServer server;

	/** The session of the last transport opened, once it opened. */
	private CompletableFuture<WebSocketSession> session = new CompletableFuture<>();

	@BeforeEach
	void startServer() throws Exception {
		this.server = LoopbackWebSocketServer.start();
	}

	@AfterEach
	void stopServer() throws Exception {
		this.listener.releaseFrames();
		this.server.close();
	}

	@Nested
	class Sending {

		@Test
		void framesAreWrittenInTheOrderTheyWereSent() {
			WebSocketTransport transport = openAndAwait(LONG_TIME, LARGE_BUFFER);
			List<String> frames = IntStream.range(0, 2000).mapToObj((i) -> "frame " + i).toList();
			frames.forEach((frame) -> assertThat(transport.send(frame)).isTrue());
			await().atMost(Duration.ofSeconds(10)).until(() -> server.received().size() == frames.size());
			assertThat(server.received()).containsExactlyElementsOf(frames);
			assertThat(transport.bufferedBytes()).isZero();
		}

		@Test
		void onTomcatsClientTheSocketWritesWithoutNaglesAlgorithm() throws Exception {
			// Else a frame larger than Tomcat's output buffer waits for the peer's
			// delayed TCP acknowledgement (40 ms on Linux)
			openAndAwait(LONG_TIME, LARGE_BUFFER);
			AsynchronousSocketChannel socket = TomcatSockets
				.socketOf((WsSession) AsyncRemoteFrameWriter.standardSession(session.get()));
			assertThat(socket).isNotNull();
			assertThat(((InetSocketAddress) socket.getRemoteAddress()).getPort()).isEqualTo(server.uri().getPort());
			assertThat(socket.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
		}

		@Test
		void sendReturnsAtOnceWhileThePeerStopsReadingAndTheFramesFollowInOrderWhenItResumes() {
			WebSocketTransport transport = openAndAwait(LONG_TIME, LARGE_BUFFER);
			server.stopReading();
			for (int i = 0; i < 256; i++) {
				assertThat(transport.send(i + LARGE_FRAME)).isTrue();
			}
			// Far more than the socket buffers hold: send() did not wait for the peer
			await().atMost(Duration.ofSeconds(5)).until(() -> transport.bufferedBytes() > 8 * 1024 * 1024);
			server.resumeReading();
			await().atMost(Duration.ofSeconds(20)).until(() -> server.received().size() == 256);
			assertThat(server.received()).extracting((frame) -> frame.substring(0, frame.indexOf('x')))
				.containsExactlyElementsOf(IntStream.range(0, 256).mapToObj(Integer::toString).toList());
			assertThat(listener.events).containsExactly("open");
		}

		@Test
		void aFrameThatDoesNotFitEndsTheTransportOnceAndClosesItsSocket() {
			WebSocketTransport transport = openAndAwait(LONG_TIME, 256 * 1024);
			server.stopReading();
			int accepted = 0;
			while (accepted < 10_000 && transport.send(LARGE_FRAME)) {
				accepted++;
			}
			assertThat(accepted).isLessThan(10_000);
			await().atMost(Duration.ofSeconds(5)).until(() -> !listener.closes().isEmpty());
			assertThat(listener.closes()).singleElement()
				.asString()
				.startsWith("closed send buffer full: ")
				.contains("(limit 262144)");
			assertThat(listener.closedOn).as("not reported from inside send()")
				.isNotEqualTo(Thread.currentThread().getName());
			assertThat(transport.send("more")).isFalse();
			server.resumeReading();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.closed() == 1);
			assertThat(listener.closes()).hasSize(1);
		}

		@Test
		void aWriteStuckPastTheSendTimeLimitEndsTheTransportAndReleasesItsThreads() {
			WebSocketTransport transport = openAndAwait(Duration.ofMillis(500), LARGE_BUFFER);
			server.stopReading();
			for (int i = 0; i < 256; i++) {
				assertThat(transport.send(LARGE_FRAME)).isTrue();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> !listener.closes().isEmpty());
			assertThat(listener.closes()).containsExactly("closed send did not complete within 500 ms");
			assertThat(transport.send("more")).isFalse();
			await().atMost(Duration.ofSeconds(3)).until(() -> workers.running() == 0);
			assertThat(listener.closes()).hasSize(1);
		}

	}

	@Nested
	class Closing {

		@Test
		void closeReturnsAtOnceAndItsHandshakeIsBoundedOnAStuckSocket() {
			WebSocketTransport transport = openAndAwait(Duration.ofMillis(500), LARGE_BUFFER);
			server.stopReading();
			for (int i = 0; i < 256; i++) {
				transport.send(LARGE_FRAME);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> transport.bufferedBytes() > 8 * 1024 * 1024);
			long start = System.nanoTime();
			transport.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
			// Tomcat's default would hold the closing thread for 20 s
			await().atMost(Duration.ofSeconds(3)).until(() -> workers.running() == 0);
			assertThat(transport.send("more")).isFalse();
			assertThat(listener.events).containsExactly("open");
		}

		@Test
		void nothingIsReportedAfterClose() {
			WebSocketTransport transport = openAndAwait(LONG_TIME, LARGE_BUFFER);
			transport.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.closed() == 1);
			await().during(Duration.ofMillis(300)).until(() -> listener.events.equals(List.of("open")));
		}

		@Test
		void aSocketThatOpensAfterItsTransportWasClosedIsClosedAtOnce() {
			server.delayHandshakes(Duration.ofMillis(500));
			WebSocketTransport transport = open(LONG_TIME, LARGE_BUFFER);
			transport.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.opened() == 1 && server.closed() == 1);
			assertThat(listener.events).isEmpty();
		}

		@Test
		void thePeerClosingIsReportedOnce() throws Exception {
			WebSocketTransport transport = openAndAwait(LONG_TIME, LARGE_BUFFER);
			server.closeAll(new CloseReason(CloseCodes.GOING_AWAY, "maintenance"));
			await().atMost(Duration.ofSeconds(5)).until(() -> !listener.closes().isEmpty());
			assertThat(listener.closes()).containsExactly("closed closed by peer (1001 maintenance)");
			assertThat(transport.send("more")).isFalse();
		}

	}

	@Nested
	class Receiving {

		@Test
		void aListenerThatBlocksInOnFrameHoldsTheReaderButNeitherSendingNorClosing() {
			server.greet("one", "two");
			listener.holdFrames();
			WebSocketTransport transport = open(LONG_TIME, LARGE_BUFFER);
			await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.contains("frame one"));
			assertThat(transport.send("while the reader is held")).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.received().contains("while the reader is held"));
			assertThat(listener.events).as("one frame at a time").containsExactly("open", "frame one");
			long start = System.nanoTime();
			transport.close();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
			await().atMost(Duration.ofSeconds(5)).until(() -> server.closed() == 1);
			listener.releaseFrames();
			await().during(Duration.ofMillis(300)).until(() -> listener.events.equals(List.of("open", "frame one")));
		}

		@Test
		void onTomcatsClientAnOpenSessionHoldsOnlyASmallBufferForBinaryMessages() throws Exception {
			// Tomcat allocates the container's binary buffer size (8 KiB by default) for
			// every session, and would replace it only at the first binary message
			server.greet("text");
			WebSocketTransport transport = open(LONG_TIME, LARGE_BUFFER);
			await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.contains("frame text"));
			assertThat(transport.binaryBufferSize()).isEqualTo(WebSocketTransport.INITIAL_BINARY_BUFFER_SIZE);
			assertThat(binaryMessageBufferOf((WsSession) AsyncRemoteFrameWriter.standardSession(session.get())))
				.extracting(ByteBuffer::capacity)
				.isEqualTo(WebSocketTransport.INITIAL_BINARY_BUFFER_SIZE);
		}

		private static ByteBuffer binaryMessageBufferOf(WsSession session) throws ReflectiveOperationException {
			Field frameField = WsSession.class.getDeclaredField("wsFrame");
			frameField.setAccessible(true);
			Object frame = frameField.get(session);
			Field bufferField = WsFrameBase.class.getDeclaredField("messageBufferBinary");
			bufferField.setAccessible(true);
			return (ByteBuffer) bufferField.get(frame);
		}

	}

	@Nested
	class PausingReading {

		@Test
		void noFrameArrivesWhileReadingIsPausedAndTheFramesAlreadyReadFollowOnResumeThoughThePeerSendsNothingMore() {
			// One socket write: the frames after the first are read with it, before the
			// pause
			server.greet("one", "two", "three");
			listener.pauseOn("frame one");
			open(LONG_TIME, LARGE_BUFFER);
			await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.contains("frame one"));
			assertThat(listener.paused).as("Tomcat's container can pause reading").isTrue();
			await().during(Duration.ofMillis(300)).until(() -> listener.events.equals(List.of("open", "frame one")));
			listener.reading.resume();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> listener.events.equals(List.of("open", "frame one", "frame two", "frame three")));
		}

		@Test
		void sendingGoesOnWhileReadingIsPaused() {
			server.greet("one");
			listener.pauseOn("frame one");
			WebSocketTransport transport = open(LONG_TIME, LARGE_BUFFER);
			await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.contains("frame one"));
			assertThat(listener.paused).isTrue();
			assertThat(transport.send("while reading is paused")).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.received().contains("while reading is paused"));
			transport.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.closed() == 1);
		}

		@Test
		void aPausedTransportThatClosesReadsThePeersAnswerAndLetsGoOfItsSocket() throws Exception {
			server.greet("one", "two");
			listener.pauseOn("frame one");
			WebSocketTransport transport = open(LONG_TIME, LARGE_BUFFER);
			await().atMost(Duration.ofSeconds(5)).until(() -> listener.events.contains("frame one"));
			assertThat(listener.paused).isTrue();
			WsSession tomcatSession = (WsSession) AsyncRemoteFrameWriter.standardSession(session.get());
			transport.close();
			// Closed only once the peer's answer is read: unread, Tomcat would keep the
			// socket for its session close timeout (30 s)
			await().atMost(Duration.ofSeconds(10)).until(tomcatSession::isClosed);
			assertThat(listener.events).as("frames read after close() are dropped")
				.containsExactly("open", "frame one");
		}

	}

	private WebSocketTransport openAndAwait(Duration sendTimeLimit, long sendBufferSizeLimit) {
		WebSocketTransport transport = open(sendTimeLimit, sendBufferSizeLimit);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listener.events.contains("open"));
		return transport;
	}

	private WebSocketTransport open(Duration sendTimeLimit, long sendBufferSizeLimit) {
		WebSocketTransport transport = new WebSocketTransport(this.listener, sendTimeLimit, sendBufferSizeLimit,
				this.workers, TransportThreads.timeouts());
		this.session = this.client.execute(transport, new WebSocketHttpHeaders(), this.server.uri());
		this.session.whenComplete((session, failure) -> {
			if (failure != null) {
				transport.failedToOpen(failure);
			}
		});
		return transport;
	}

	/**
	 * Runs tasks on the shared workers and counts those under way.
	 */
	private static final class CountingExecutor implements Executor {

		private final AtomicInteger running = new AtomicInteger();

		@Override
		public void execute(Runnable task) {
			this.running.incrementAndGet();
			TransportThreads.workers().execute(() -> {
				try {
					task.run();
				}
				finally {
					this.running.decrementAndGet();
				}
			});
		}

		int running() {
			return this.running.get();
		}

	}

	private static final class RecordingListener implements TransportListener {

		private final List<String> events = new CopyOnWriteArrayList<>();

		private volatile CountDownLatch frames = new CountDownLatch(0);

		private volatile String closedOn;

		private volatile ReadControl reading = ReadControl.NONE;

		private volatile @Nullable String pauseOn;

		private volatile boolean paused;

		@Override
		public void onOpen(ReadControl reading) {
			this.reading = reading;
			this.events.add("open");
		}

		@Override
		public void onFrame(String frame) {
			this.events.add("frame " + frame);
			if (("frame " + frame).equals(this.pauseOn)) {
				this.paused = this.reading.pause();
			}
			try {
				this.frames.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onClosed(String reason) {
			this.closedOn = Thread.currentThread().getName();
			this.events.add("closed " + reason);
		}

		List<String> closes() {
			return this.events.stream().filter((event) -> event.startsWith("closed ")).toList();
		}

		/** Pause reading once the given event, such as {@code "frame one"}, happened. */
		void pauseOn(String event) {
			this.pauseOn = event;
		}

		void holdFrames() {
			this.frames = new CountDownLatch(1);
		}

		void releaseFrames() {
			this.frames.countDown();
		}

	}

}

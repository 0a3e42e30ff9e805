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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.VirtualTimeScheduler;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FakeTransportFactory}: what it records and what it answers, on its own
 * and under a real client.
 */
class FakeTransportFactoryTests {

	private static final URI URL = URI.create("ws://realtime.example.com/?key=app.key%3Asecret&resume=k1&v=6");

	private final ProtocolCodec codec = new ProtocolCodec();

	private final RecordingListener listener = new RecordingListener();

	@Nested
	class ByHand {

		private final FakeTransportFactory transports = new FakeTransportFactory();

		@Test
		void aTransportStaysOpeningUntilTheTestOpensIt() {
			FakeTransport transport = open(this.transports);
			assertThat(transport.send("{\"action\":0}")).isFalse();
			assertThat(listener.events).isEmpty();
			transport.open().open();
			assertThat(transport.send("{\"action\":0}")).isTrue();
			assertThat(listener.events).containsExactly("open");
			assertThat(this.transports.opened()).containsExactly(transport);
			assertThat(this.transports.last()).isSameAs(transport);
		}

		@Test
		void receivingAFrameCompletesTheHandshakeFirst() {
			open(this.transports).receive("{\"action\":0}").receive("not json");
			assertThat(listener.events).containsExactly("open", "frame {\"action\":0}", "frame not json");
		}

		@Test
		void whatTheClientSentIsRecordedAsFramesAndAsMessages() {
			FakeTransport transport = open(this.transports).open();
			transport.send("{\"action\":10,\"channel\":\"news\"}");
			transport.send("{\"action\":0,\"id\":\"p1\"}");
			assertThat(transport.sent()).containsExactly("{\"action\":10,\"channel\":\"news\"}",
					"{\"action\":0,\"id\":\"p1\"}");
			assertThat(transport.sentMessages()).extracting(ProtocolMessage::getAction, ProtocolMessage::getChannel)
				.containsExactly(tuple(Action.ATTACH, "news"), tuple(Action.HEARTBEAT, null));
			assertThat(transport.sentMessages(Action.ATTACH)).singleElement()
				.extracting(ProtocolMessage::getChannel)
				.isEqualTo("news");
			assertThat(transport.lastSent().getId()).isEqualTo("p1");
			assertThat(listener.events).as("nothing answered").containsExactly("open");
		}

		@Test
		void theUriAndItsQueryAreKept() {
			FakeTransport transport = open(this.transports);
			assertThat(transport.uri()).isEqualTo(URL);
			assertThat(transport.query()).containsExactly(Map.entry("key", "app.key%3Asecret"),
					Map.entry("resume", "k1"), Map.entry("v", "6"));
		}

		@Test
		void aDropEndsTheTransportOnce() {
			FakeTransport transport = open(this.transports).open();
			transport.drop("reset by peer");
			transport.drop("again");
			assertThat(transport.send("{\"action\":0}")).isFalse();
			assertThat(listener.events).containsExactly("open", "closed reset by peer");
		}

		@Test
		void aClosedTransportSendsNothingAndHearsOfNoDrop() {
			FakeTransport transport = open(this.transports).open();
			transport.close();
			transport.drop("too late");
			assertThat(transport.isClosed()).isTrue();
			assertThat(transport.send("{\"action\":0}")).isFalse();
			assertThat(transport.sent()).isEmpty();
			assertThat(listener.events).containsExactly("open");
		}

		@Test
		void aFrameThatRacedWithTheCloseStillReachesTheListener() {
			FakeTransport transport = open(this.transports).open();
			transport.close();
			transport.receive("{\"action\":8}");
			assertThat(listener.events).containsExactly("open", "frame {\"action\":8}");
		}

	}

	@Nested
	class AsAServer {

		private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer();

		@Test
		void aTransportOpensAtOnceWithConnected() {
			open(this.transports);
			assertThat(listener.events).hasSize(2).first().isEqualTo("open");
			assertThat(listener.messages()).singleElement().satisfies((connected) -> {
				assertThat(connected.getAction()).isEqualTo(Action.CONNECTED);
				assertThat(connected.getConnectionId()).isEqualTo(FakeTransportFactory.CONNECTION_ID);
				assertThat(connected.getConnectionDetails().connectionKey())
					.isEqualTo(FakeTransportFactory.CONNECTION_KEY);
			});
		}

		@Test
		void everyRequestIsAnsweredAsAServerWould() {
			FakeTransport transport = open(this.transports);
			listener.events.clear();
			transport.send(codec.encode(new ProtocolMessage(Action.ATTACH).setChannel("news")));
			transport.send(codec.encode(new ProtocolMessage(Action.DETACH).setChannel("news")));
			transport.send(codec.encode(new ProtocolMessage(Action.HEARTBEAT).setId("p1")));
			transport.send(codec.encode(new ProtocolMessage(Action.MESSAGE).setChannel("news").setMsgSerial(7L)));
			transport.send(codec.encode(new ProtocolMessage(Action.CLOSE)));
			assertThat(listener.messages())
				.extracting(ProtocolMessage::getAction, ProtocolMessage::getChannel, ProtocolMessage::getId,
						ProtocolMessage::getMsgSerial, ProtocolMessage::getCount)
				.containsExactly(tuple(Action.ATTACHED, "news", null, null, null),
						tuple(Action.DETACHED, "news", null, null, null),
						tuple(Action.HEARTBEAT, null, "p1", null, null), tuple(Action.ACK, null, null, 7L, 1),
						tuple(Action.CLOSED, null, null, null, null));
		}

		@Test
		void aSilencedActionIsNotAnswered() {
			FakeTransport transport = open(this.transports.silence(Action.DETACH));
			listener.events.clear();
			transport.send(codec.encode(new ProtocolMessage(Action.DETACH).setChannel("news")));
			assertThat(transport.sent()).hasSize(1);
			assertThat(listener.events).isEmpty();
		}

		@Test
		void anAnswerCanBeReplacedWhileTheTestRuns() {
			FakeTransport transport = open(this.transports);
			listener.events.clear();
			this.transports.answer(Action.ATTACH,
					(attach) -> List.of(FakeTransportFactory.error(attach.getChannel(), 40160, 401, "denied")));
			transport.send(codec.encode(new ProtocolMessage(Action.ATTACH).setChannel("news")));
			assertThat(listener.messages()).singleElement().satisfies((error) -> {
				assertThat(error.getAction()).isEqualTo(Action.ERROR);
				assertThat(error.getChannel()).isEqualTo("news");
				assertThat(error.getError()).isEqualTo(new ErrorInfo(40160, 401, "denied"));
			});
		}

		@Test
		void theOpenCanBeAnsweredOtherwiseOrLeftToTheTest() {
			open(this.transports.answerOpen((uri) -> List.of(FakeTransportFactory.connected("c9", "k9"))));
			assertThat(listener.messages()).singleElement()
				.extracting(ProtocolMessage::getConnectionId)
				.isEqualTo("c9");
			listener.events.clear();
			open(this.transports.silenceOpen());
			assertThat(listener.events).isEmpty();
		}

		@Test
		void onlyActionsWithADefaultAnswerCanBeSwitchedOnWithoutOne() {
			assertThatIllegalArgumentException().isThrownBy(() -> this.transports.answer(Action.PRESENCE))
				.withMessageContaining("PRESENCE");
		}

		@Test
		void asynchronousAnswersComeInOrderFromAnotherThread() {
			FakeTransport transport = open(this.transports.answerAsynchronously());
			await().until(() -> listener.events.size() == 2);
			for (int i = 0; i < 100; i++) {
				transport.send(codec.encode(new ProtocolMessage(Action.HEARTBEAT).setId("p" + i)));
			}
			await().until(() -> listener.events.size() == 102);
			assertThat(listener.messages().subList(1, 101)).extracting(ProtocolMessage::getId)
				.containsExactlyElementsOf(IntStream.range(0, 100).mapToObj((i) -> "p" + i).toList());
			assertThat(listener.threads).doesNotContain(Thread.currentThread().getName());
		}

	}

	@Nested
	class UnderAClient {

		private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

		private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer();

		private final RealtimeClient client = RealtimeClient.builder(
				RealtimeClientOptions.builder(URI.create("ws://realtime.example.com/")).key("app.key:secret").build())
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.transportFactory(this.transports)
			.build();

		@Test
		void aClientConnectsAttachesPublishesPingsDetachesAndClosesWithoutHelp() {
			this.client.connection().connect();
			settle();
			assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			RealtimeChannel news = this.client.channel("news");
			CompletableFuture<Void> attached = news.attach();
			CompletableFuture<Void> published = news.publish("greeting", "hello");
			CompletableFuture<Duration> pinged = this.client.connection().ping();
			settle();
			assertThat(List.of(attached, published, pinged)).allSatisfy((future) -> assertThat(future).isCompleted());
			CompletableFuture<Void> detached = news.detach();
			settle();
			assertThat(detached).isCompleted();
			assertThat(news.state()).isEqualTo(ChannelState.DETACHED);
			CompletableFuture<Void> closed = this.client.connection().close();
			settle();
			assertThat(closed).isCompleted();
			assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CLOSED);
			assertThat(this.transports.last().sentMessages()).extracting(ProtocolMessage::getAction)
				.containsExactly(Action.ATTACH, Action.MESSAGE, Action.HEARTBEAT, Action.DETACH, Action.CLOSE);
		}

		@Test
		void aSilencedDetachTimesOut() {
			this.transports.silence(Action.DETACH);
			this.client.connection().connect();
			settle();
			RealtimeChannel news = this.client.channel("news");
			news.attach();
			settle();
			CompletableFuture<Void> detached = news.detach();
			settle();
			assertThat(detached).isNotDone();
			for (int second = 0; second < 10; second++) {
				this.scheduler.advance(Duration.ofSeconds(1));
				this.transports.last().receive(FakeTransportFactory.heartbeat(null));
			}
			settle();
			assertThat(detached).isCompletedExceptionally();
			assertThat(news.state()).isEqualTo(ChannelState.ATTACHED);
		}

		private void settle() {
			this.scheduler.runDueTasks();
		}

	}

	@Nested
	class Frames {

		@Test
		void connectedCarriesTheDetailsTheClientNeeds() {
			ProtocolMessage connected = codec.decode(FakeTransportFactory.connected("c1", "k1"));
			assertThat(connected.getAction()).isEqualTo(Action.CONNECTED);
			assertThat(connected.getConnectionId()).isEqualTo("c1");
			assertThat(connected.getConnectionDetails()).satisfies((details) -> {
				assertThat(details.connectionKey()).isEqualTo("k1");
				assertThat(details.maxIdleInterval()).isEqualTo(15_000);
				assertThat(details.connectionStateTtl()).isEqualTo(120_000);
			});
			assertThat(connected.getError()).isNull();
			assertThat(codec.decode(FakeTransportFactory.connected("c2", "k2", new ErrorInfo(80008, 400, "expired")))
				.getError()).isEqualTo(new ErrorInfo(80008, 400, "expired"));
		}

		@Test
		void errorsAreForTheConnectionOrForOneChannel() {
			ProtocolMessage connectionError = codec.decode(FakeTransportFactory.error(40101, 401, "bad key"));
			assertThat(connectionError.getAction()).isEqualTo(Action.ERROR);
			assertThat(connectionError.getChannel()).isNull();
			assertThat(connectionError.getError()).isEqualTo(new ErrorInfo(40101, 401, "bad key"));
			assertThat(codec.decode(FakeTransportFactory.error("news", 40160, 401, "denied")).getChannel())
				.isEqualTo("news");
		}

		@Test
		void aMessageCarriesItsDataEncodedAsAPublisherWould() {
			ProtocolMessage message = codec.decode(FakeTransportFactory.message("news", "s1", Map.of("price", 42)));
			assertThat(message.getAction()).isEqualTo(Action.MESSAGE);
			assertThat(message.getChannel()).isEqualTo("news");
			assertThat(message.getChannelSerial()).isEqualTo("s1");
			assertThat(message.getMessages()).singleElement()
				.satisfies((wire) -> assertThat(codec.decodeData(wire)).isEqualTo(Map.of("price", 42)));
		}

	}

	private FakeTransport open(FakeTransportFactory transports) {
		transports.open(URL, this.listener);
		return transports.last();
	}

	private final class RecordingListener implements TransportListener {

		private final List<String> events = new CopyOnWriteArrayList<>();

		private final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void onOpen(ReadControl reading) {
			record("open");
		}

		@Override
		public void onFrame(String frame) {
			record("frame " + frame);
		}

		@Override
		public void onClosed(String reason) {
			record("closed " + reason);
		}

		private void record(String event) {
			this.threads.add(Thread.currentThread().getName());
			this.events.add(event);
		}

		List<ProtocolMessage> messages() {
			return this.events.stream()
				.filter((event) -> event.startsWith("frame "))
				.map((event) -> FakeTransportFactoryTests.this.codec.decode(event.substring("frame ".length())))
				.toList();
		}

	}

}

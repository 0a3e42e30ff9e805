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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import dev.realtime.client.protocol.ProtocolMessage;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the bounds of publishing on virtual time: the send window bounds what is sent
 * and not yet acknowledged, and the queue's byte budget bounds what it holds.
 */
class PublishFlowControlTests {

	/** Each test message takes a little over 500 bytes. */
	private static final String PAYLOAD = "x".repeat(400);

	private VirtualClient server;

	private RealtimeClient client(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer);
		return this.server.client();
	}

	@Test
	void theSendWindowBoundsWhatIsSentAndNotAcknowledged() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(1200))).channel("news");
		server.connect("c1", "k1");
		List<CompletableFuture<Void>> published = List.of(news.publish("n", PAYLOAD), news.publish("n", PAYLOAD),
				news.publish("n", PAYLOAD), news.publish("n", PAYLOAD));
		server.settle();
		assertThat(sentSerials()).containsExactly(0L, 1L);
		server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
		assertThat(sentSerials()).containsExactly(0L, 1L, 2L);
		server.receive("{\"action\":1,\"msgSerial\":1,\"count\":2}");
		assertThat(sentSerials()).containsExactly(0L, 1L, 2L, 3L);
		server.receive("{\"action\":1,\"msgSerial\":3,\"count\":1}");
		assertThat(published).allSatisfy((future) -> assertThat(future).isCompleted());
	}

	@Test
	void aMessageLargerThanTheWindowIsSentAlone() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(100))).channel("news");
		server.connect("c1", "k1");
		news.publish("n", PAYLOAD);
		news.publish("n", PAYLOAD);
		server.settle();
		assertThat(sentSerials()).containsExactly(0L);
		server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
		assertThat(sentSerials()).containsExactly(0L, 1L);
	}

	@Test
	void aResendOnANewTransportIsBoundedByTheWindowToo() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(1200))).channel("news");
		server.connect("c1", "k1");
		for (int i = 0; i < 4; i++) {
			news.publish("n", PAYLOAD);
		}
		server.settle();
		FakeTransport first = server.transport();
		first.drop("reset");
		server.settle();
		server.advance(Duration.ofSeconds(15));
		assertThat(server.transport()).as("retried").isNotSameAs(first);
		server.receive(FakeTransportFactory.connected("c1", "k2"));
		assertThat(sentSerials()).as("the two unacknowledged, resent; the others wait").containsExactly(0L, 1L);
	}

	@Test
	void whatDoesNotFitTheQueuesByteBudgetFailsAtOnce() {
		RealtimeChannel news = client((options) -> options.queueMaxSize(DataSize.ofBytes(1200))).channel("news");
		CompletableFuture<Void> first = news.publish("n", PAYLOAD);
		CompletableFuture<Void> second = news.publish("n", PAYLOAD);
		CompletableFuture<Void> third = news.publish("n", PAYLOAD);
		server.settle();
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		assertThat(third).isCompletedExceptionally();
		assertThat(catchThrowable(third::join)).cause().hasMessageContaining("realtime.queue.max-size");
	}

	private List<Long> sentSerials() {
		return this.server.sent(Action.MESSAGE).stream().map(ProtocolMessage::getMsgSerial).toList();
	}

}

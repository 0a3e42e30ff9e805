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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import dev.realtime.client.protocol.ProtocolCodec;
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

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final ProtocolCodec codec = new ProtocolCodec();

	private RealtimeClient client;

	private RealtimeClient client(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		RealtimeClientOptions options = customizer
			.apply(RealtimeClientOptions.builder(URI.create("ws://realtime.example.com/")).key("app.key:secret"))
			.build();
		this.client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.transportFactory(this.transports)
			.build();
		return this.client;
	}

	@Test
	void theSendWindowBoundsWhatIsSentAndNotAcknowledged() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(1200))).channel("news");
		connect();
		List<CompletableFuture<Void>> published = List.of(news.publish("n", PAYLOAD), news.publish("n", PAYLOAD),
				news.publish("n", PAYLOAD), news.publish("n", PAYLOAD));
		settle();
		assertThat(sentSerials()).containsExactly(0L, 1L);
		receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
		assertThat(sentSerials()).containsExactly(0L, 1L, 2L);
		receive("{\"action\":1,\"msgSerial\":1,\"count\":2}");
		assertThat(sentSerials()).containsExactly(0L, 1L, 2L, 3L);
		receive("{\"action\":1,\"msgSerial\":3,\"count\":1}");
		assertThat(published).allSatisfy((future) -> assertThat(future).isCompleted());
	}

	@Test
	void aMessageLargerThanTheWindowIsSentAlone() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(100))).channel("news");
		connect();
		news.publish("n", PAYLOAD);
		news.publish("n", PAYLOAD);
		settle();
		assertThat(sentSerials()).containsExactly(0L);
		receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
		assertThat(sentSerials()).containsExactly(0L, 1L);
	}

	@Test
	void aResendOnANewTransportIsBoundedByTheWindowToo() {
		RealtimeChannel news = client((options) -> options.queueSendWindow(DataSize.ofBytes(1200))).channel("news");
		connect();
		for (int i = 0; i < 4; i++) {
			news.publish("n", PAYLOAD);
		}
		settle();
		FakeTransport first = this.transports.last();
		first.drop("reset");
		settle();
		this.scheduler.advance(Duration.ofSeconds(15));
		assertThat(this.transports.last()).as("retried").isNotSameAs(first);
		this.transports.last().receive(FakeTransportFactory.connected("c1", "k2"));
		settle();
		assertThat(sentSerials()).as("the two unacknowledged, resent; the others wait").containsExactly(0L, 1L);
	}

	@Test
	void whatDoesNotFitTheQueuesByteBudgetFailsAtOnce() {
		RealtimeChannel news = client((options) -> options.queueMaxSize(DataSize.ofBytes(1200))).channel("news");
		CompletableFuture<Void> first = news.publish("n", PAYLOAD);
		CompletableFuture<Void> second = news.publish("n", PAYLOAD);
		CompletableFuture<Void> third = news.publish("n", PAYLOAD);
		settle();
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		assertThat(third).isCompletedExceptionally();
		assertThat(catchThrowable(third::join)).cause().hasMessageContaining("realtime.queue.max-size");
	}

	private void connect() {
		this.client.connection().connect();
		settle();
		this.transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
		settle();
	}

	private void receive(String frame) {
		this.transports.last().receive(frame);
		settle();
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private List<Long> sentSerials() {
		return this.transports.last()
			.sent()
			.stream()
			.map(this.codec::decode)
			.filter((message) -> message.getAction() == Action.MESSAGE)
			.map(ProtocolMessage::getMsgSerial)
			.toList();
	}

}

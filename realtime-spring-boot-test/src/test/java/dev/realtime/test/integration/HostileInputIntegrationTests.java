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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeException;
import dev.realtime.client.protocol.Action;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The size limits of the protocol between real clients through the embedded server: the
 * server's maxMessageSize on publish, and the client's limit on inbound frames.
 */
class HostileInputIntegrationTests {

	private static final int MAX_MESSAGE_SIZE = 4096;

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(Duration.ofMillis(500))
		.server((builder) -> builder.maxMessageSize(MAX_MESSAGE_SIZE))
		.build();

	private TestClients clients;

	@BeforeEach
	void createClients() throws IOException {
		this.clients = new TestClients(server.port());
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	@Test
	void aMessageAboveTheServersMaxMessageSizeFailsWith40009BeforeItIsSent() throws Exception {
		RealtimeClient publisher = connected(UnaryOperator.identity());
		RealtimeChannel channel = publisher.channel("sizes");
		long received = server.server().received(Action.MESSAGE);
		Throwable failure = catchThrowable(
				() -> channel.publish("big", "x".repeat(MAX_MESSAGE_SIZE)).get(5, TimeUnit.SECONDS));
		assertThat(failure).cause().isInstanceOf(RealtimeException.class);
		ErrorInfo error = ((RealtimeException) failure.getCause()).getErrorInfo();
		assertThat(error.code()).isEqualTo(40009);
		assertThat(error.message()).contains((MAX_MESSAGE_SIZE + 3) + " bytes").contains(MAX_MESSAGE_SIZE + " bytes");
		channel.publish("fit", "x".repeat(MAX_MESSAGE_SIZE - 3)).get(5, TimeUnit.SECONDS);
		assertThat(server.server().received(Action.MESSAGE)).isEqualTo(received + 1);
	}

	@Test
	void aFrameAboveTheInboundLimitIsCountedAndTheConnectionSaysWhyItDropped() throws Exception {
		RealtimeClient subscriber = connected(
				(options) -> options.maxInboundFrameSize(DataSize.ofBytes(MAX_MESSAGE_SIZE / 2)));
		List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
		subscriber.connection().addListener(changes::add);
		RealtimeChannel subscribed = subscriber.channel("sizes");
		subscribed.attach().get(5, TimeUnit.SECONDS);
		RealtimeClient publisher = connected(UnaryOperator.identity());
		CompletableFuture<Void> published = publisher.channel("sizes").publish("big", "x".repeat(MAX_MESSAGE_SIZE - 3));
		published.get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> changes.stream().anyMatch((change) -> change.current() == ConnectionState.DISCONNECTED));
		assertThat(changes).filteredOn((change) -> change.current() == ConnectionState.DISCONNECTED)
			.first()
			.satisfies((change) -> assertThat(change.reason().message()).contains("an inbound frame was larger than "
					+ (MAX_MESSAGE_SIZE / 2) + " bytes (realtime.limits.max-inbound-frame-size)"));
		assertThat(subscriber.malformedFrames()).isPositive();
		assertThat(subscribed.state()).isNotEqualTo(ChannelState.FAILED);
	}

	private RealtimeClient connected(UnaryOperator<RealtimeClientOptions.Builder> options) throws IOException {
		RealtimeClient client = this.clients.client(this.clients.proxy(), options, UnaryOperator.identity());
		client.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().state() == ConnectionState.CONNECTED);
		return client;
	}

}

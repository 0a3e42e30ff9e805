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
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.junit.RealtimeServerExtension;
import dev.realtime.test.server.AblyClientOptions;
import io.ably.lib.realtime.AblyRealtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection recovery [RTN16] over real sockets: a second client instance, as after a
 * process restart, takes over the connection of the first with its recovery key.
 */
class ConnectionRecoveryIntegrationTests {

	private static final String TOKEN = "interop-token";

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.token(TOKEN)
		.connectionStateTtl(Duration.ofSeconds(30))
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
	void aSecondInstanceRecoversTheConnectionOfTheFirstAndGetsOnlyWhatItMissed() throws IOException {
		TcpCrusher firstLink = this.clients.proxy();
		RealtimeClient first = this.clients.client(firstLink);
		first.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.connection().state() == ConnectionState.CONNECTED);
		List<Object> firstReceived = new CopyOnWriteArrayList<>();
		RealtimeChannel orders = first.channel("orders");
		orders.subscribe((message) -> firstReceived.add(message.data()));
		assertThat(orders.attach()).succeedsWithin(Duration.ofSeconds(10));
		server.server().publish("orders", "order", "1");
		server.server().publish("orders", "order", "2");
		await().atMost(Duration.ofSeconds(10)).until(() -> firstReceived.size() == 2);
		String recoveryKey = first.connection().recoveryKey();
		String connectionId = first.connection().id();
		assertThat(recoveryKey).isNotNull().doesNotContain(TestClients.KEY);
		// The first instance goes away without closing, as a process that dies
		firstLink.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.connection().state() != ConnectionState.CONNECTED);
		server.server().publish("orders", "order", "3");

		RealtimeClient second = this.clients.client(this.clients.proxy(), (options) -> options.recover(recoveryKey),
				(builder) -> builder);
		List<Object> secondReceived = new CopyOnWriteArrayList<>();
		second.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> second.connection().state() == ConnectionState.CONNECTED);
		assertThat(server.server().lastConnectQuery()).containsKey("recover").doesNotContainKey("resume");
		assertThat(second.connection().id()).isEqualTo(connectionId);
		assertThat(second.connection().errorReason()).isNull();
		RealtimeChannel recovered = second.channel("orders");
		recovered.subscribe((message) -> secondReceived.add(message.data()));
		assertThat(recovered.attach()).succeedsWithin(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> secondReceived.size() >= 1);
		server.server().publish("orders", "order", "4");
		await().atMost(Duration.ofSeconds(10)).until(() -> secondReceived.size() >= 2);
		assertThat(secondReceived).containsExactly("3", "4");
		assertThat(recovered.publish("ack", "from the second")).succeedsWithin(Duration.ofSeconds(10));
	}

	@Test
	void theRecoveryKeyOfTheOfficialAblySdkIsTakenOver() throws Exception {
		AblyRealtime ably = new AblyRealtime(AblyClientOptions.forServer(server.server(), TOKEN));
		try {
			ably.connection.connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ably.connection.state == io.ably.lib.realtime.ConnectionState.connected);
			io.ably.lib.realtime.Channel orders = ably.channels.get("orders");
			List<Object> ablyReceived = new CopyOnWriteArrayList<>();
			orders.subscribe((message) -> ablyReceived.add(message.data));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> orders.state == io.ably.lib.realtime.ChannelState.attached);
			server.server().publish("orders", "order", "1");
			await().atMost(Duration.ofSeconds(10)).until(() -> ablyReceived.size() == 1);
			String recoveryKey = ably.connection.createRecoveryKey();
			String connectionId = ably.connection.id;
			server.server().publish("orders", "order", "2");
			await().atMost(Duration.ofSeconds(10)).until(() -> ablyReceived.size() == 2);
			ably.connection.off();
			orders.unsubscribe();

			RealtimeClient recovering = this.clients.client(this.clients.proxy(),
					(options) -> options.recover(recoveryKey), (builder) -> builder);
			recovering.connection().connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> recovering.connection().state() == ConnectionState.CONNECTED);
			assertThat(recovering.connection().id()).isEqualTo(connectionId);
			assertThat(recovering.connection().errorReason()).isNull();
			List<Object> received = new CopyOnWriteArrayList<>();
			RealtimeChannel recovered = recovering.channel("orders");
			recovered.subscribe((message) -> received.add(message.data()));
			assertThat(recovered.attach()).succeedsWithin(Duration.ofSeconds(10));
			// From the serial in the key: what arrived after it was taken
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 1);
			assertThat(received).containsExactly("2");
			assertThat(recovered.publish("ack", "from the recovering client")).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			ably.close();
		}
	}

	@Test
	void aKeyTheServerNoLongerKnowsConnectsAnewAndSaysSo() throws IOException {
		RealtimeClient first = this.clients.client(this.clients.proxy());
		first.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.connection().state() == ConnectionState.CONNECTED);
		String recoveryKey = first.connection().recoveryKey();
		String connectionId = first.connection().id();
		// Closed: the server forgets the connection
		assertThat(first.connection().close()).succeedsWithin(Duration.ofSeconds(10));

		RealtimeClient second = this.clients.client(this.clients.proxy(), (options) -> options.recover(recoveryKey),
				(builder) -> builder);
		second.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> second.connection().state() == ConnectionState.CONNECTED);
		assertThat(second.connection().id()).isNotEqualTo(connectionId);
		assertThat(second.connection().errorReason()).isNotNull()
			.extracting(ErrorInfo::code)
			.isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
		assertThat(second.channel("news").publish("n", "published on the new connection"))
			.succeedsWithin(Duration.ofSeconds(10));
	}

}

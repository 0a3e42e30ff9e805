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
import java.util.Map;
import java.util.logging.Level;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection recovery [RTN16] and the connection's client id, on virtual time.
 */
class ConnectionRecoveryTests {

	private final LogRecords logs = LogRecords.start();

	@AfterEach
	void stopRecording() {
		this.logs.close();
	}

	@Nested
	class RecoveryKeys {

		private final VirtualClient client = new VirtualClient();

		@Test
		void thereIsNoRecoveryKeyBeforeTheFirstConnection() {
			assertThat(this.client.connection().recoveryKey()).isNull();
		}

		@Test
		void aRecoveryKeyCarriesTheConnectionTheNextMsgSerialAndTheSerialOfEachAttachedChannel() {
			this.client.connect("c1", "k1");
			this.client.attach("orders", "orders:7");
			this.client.client().channel("idle"); // not attached: not in the key
			this.client.client().channel("orders").publish("n", "d");
			this.client.client().channel("orders").publish("n", "d");
			this.client.settle();
			RecoveryKey key = RecoveryKey.decode(this.client.connection().recoveryKey());
			assertThat(key).isEqualTo(new RecoveryKey("k1", "c1", 2, Map.of("orders", "orders:7")));
		}

		@Test
		void aRecoveryKeyFollowsTheChannelSerial() {
			this.client.connect("c1", "k1");
			this.client.attach("orders", "orders:7");
			this.client.receive(FakeTransportFactory.message("orders", "orders:8", "x"));
			assertThat(RecoveryKey.decode(this.client.connection().recoveryKey()).channelSerials())
				.containsEntry("orders", "orders:8");
		}

		@Test
		void thereIsNoRecoveryKeyOnceTheConnectionIsClosed() {
			this.client.connect("c1", "k1");
			this.client.connection().close();
			this.client.receive(FakeTransportFactory.closed());
			assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CLOSED);
			assertThat(this.client.connection().recoveryKey()).isNull(); // [RTN16g2]
		}

		@Test
		void thereIsNoRecoveryKeyOnceTheConnectionFailed() {
			this.client.connect("c1", "k1");
			this.client.receive(FakeTransportFactory.error(50000, 500, "internal error"));
			assertThat(this.client.connection().state()).isEqualTo(ConnectionState.FAILED);
			assertThat(this.client.connection().recoveryKey()).isNull(); // [RTN16g2]
		}

		@Test
		void aRecoveryKeyCarriesAnyUnicodeChannelName() {
			RecoveryKey key = new RecoveryKey("k1", "c1", 3, Map.of("ch\u00e2nnel/\u2603 \"quoted\"", "s:1"));
			assertThat(RecoveryKey.decode(key.encode())).isEqualTo(key); // [RTN16g1]
		}

		@Test
		void theKeysOfTheAblySdksCanBeRead() {
			RecoveryKey key = RecoveryKey
				.decode("{\"connectionKey\":\"k1\",\"msgSerial\":5,\"serials\":{\"orders\":\"orders:3\"}}");
			assertThat(key).isEqualTo(new RecoveryKey("k1", null, 5, Map.of("orders", "orders:3")));
		}

	}

	@Nested
	class Recovering {

		private final String key = new RecoveryKey("k0", "c0", 7, Map.of("orders", "orders:41")).encode();

		private final VirtualClient client = new VirtualClient((options) -> options.recover(this.key));

		@Test
		void theFirstConnectSendsRecoverWithTheConnectionKey() {
			this.client.connection().connect();
			this.client.settle();
			assertThat(this.client.transport().query()).containsEntry("recover", "k0").doesNotContainKey("resume");
		}

		@Test
		void aRecoveredConnectionKeepsItsIdAndContinuesItsMsgSerial() {
			this.client.connection().connect();
			this.client.settle();
			this.client.receive(FakeTransportFactory.connected("c0", "k0-new"));
			assertThat(this.client.connection().id()).isEqualTo("c0");
			assertThat(this.client.connection().errorReason()).isNull();
			this.client.client().channel("orders").publish("n", "d");
			this.client.settle();
			assertThat(this.client.transport().sentMessages(Action.MESSAGE)).extracting(ProtocolMessage::getMsgSerial)
				.containsExactly(7L); // [RTN16f]
		}

		@Test
		void theChannelsOfTheKeyExistAndAttachFromTheirSerials() {
			this.client.connection().connect();
			this.client.settle();
			this.client.receive(FakeTransportFactory.connected("c0", "k0-new"));
			RealtimeChannel orders = this.client.client().channel("orders");
			assertThat(orders.state()).isEqualTo(ChannelState.INITIALIZED); // attached by
																			// the
																			// application
			orders.attach();
			this.client.settle();
			assertThat(this.client.transport().sentMessages(Action.ATTACH))
				.extracting(ProtocolMessage::getChannelSerial)
				.containsExactly("orders:41"); // [RTN16j]
		}

		@Test
		void recoverIsSentUntilTheFirstConnectionAndNeverAgain() {
			this.client.connection().connect();
			this.client.settle();
			this.client.transport().drop("refused"); // the first attempt fails
			this.client.advance(Duration.ofSeconds(15));
			assertThat(this.client.transport().query()).containsEntry("recover", "k0");
			this.client.receive(FakeTransportFactory.connected("c0", "k0-new"));
			this.client.transport().drop("dropped");
			this.client.advance(Duration.ofSeconds(30));
			// [RTN16k]
			assertThat(this.client.transport().query()).containsEntry("resume", "k0-new").doesNotContainKey("recover");
		}

		@Test
		void aRecoveryThatFailsConnectsAnewSaysWhyAndStartsMsgSerialAgain() {
			this.client.connection().connect();
			this.client.settle();
			this.client.receive(FakeTransportFactory.connected("c9", "k9",
					new ErrorInfo(ErrorInfo.UNABLE_TO_RESUME, 400, "Unable to recover")));
			assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(this.client.connection().id()).isEqualTo("c9");
			assertThat(this.client.connection().errorReason()).isNotNull()
				.extracting(ErrorInfo::code)
				.isEqualTo(ErrorInfo.UNABLE_TO_RESUME); // [RTN16l]
			this.client.client().channel("orders").publish("n", "d");
			this.client.settle();
			assertThat(this.client.transport().sentMessages(Action.MESSAGE)).extracting(ProtocolMessage::getMsgSerial)
				.containsExactly(0L); // [RTN16f]
		}

		@Test
		void aNewConnectionIdWithoutAnErrorStillReportsThatTheRecoveryFailed() {
			this.client.connection().connect();
			this.client.settle();
			this.client.receive(FakeTransportFactory.connected("c9", "k9"));
			assertThat(this.client.connection().errorReason()).isNotNull()
				.satisfies((reason) -> assertThat(reason.message()).isEqualTo("Connection c0 could not be recovered"));
		}

	}

	@Nested
	class UnreadableKeys {

		private final VirtualClient client = new VirtualClient((options) -> options.recover("{\"connectionKey\":"));

		@Test
		void anUnreadableRecoveryKeyIsLoggedAndTheClientConnectsAsANewConnection() {
			this.client.connection().connect();
			this.client.settle();
			assertThat(this.client.transport().query()).doesNotContainKeys("recover", "resume"); // [RTN16f1]
			this.client.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(this.client.connection().errorReason()).isNull();
			assertThat(ConnectionRecoveryTests.this.logs.at(Level.WARNING))
				.contains("Ignoring the recovery key of connection 'default': it is not JSON; connecting as a new "
						+ "connection [RTN16f1]");
		}

		@Test
		void theOptionsNeverShowTheRecoveryKey() {
			assertThat(this.client.client().options().toString()).contains("recover=******")
				.doesNotContain("connectionKey");
		}

	}

	@Nested
	class ClientIds {

		@Test
		void theClientIdIsTheConfiguredOneUntilTheServerGrantsOne() {
			VirtualClient client = new VirtualClient((options) -> options.clientId("configured"));
			assertThat(client.connection().clientId()).isEqualTo("configured");
			client.connection().connect();
			client.settle();
			client.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
					+ "\"clientId\":\"granted\"}}");
			assertThat(client.connection().clientId()).isEqualTo("granted");
		}

		@Test
		void anAnonymousClientHasNoClientId() {
			VirtualClient client = new VirtualClient();
			client.connect("c1", "k1");
			assertThat(client.connection().clientId()).isNull();
		}

	}

}

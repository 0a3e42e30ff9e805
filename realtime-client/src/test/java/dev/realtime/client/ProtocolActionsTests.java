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

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.protocol.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every protocol action, HEARTBEAT through ANNOTATION, has a deliberate
 * handling, and that what reaches no handler is counted. Clause IDs refer to the Ably
 * features specification.
 */
class ProtocolActionsTests {

	/** The actions only clients send; a server that sends them is ignored and counted. */
	private static final Set<Action> CLIENT_ACTIONS = EnumSet.of(Action.CONNECT, Action.DISCONNECT, Action.CLOSE,
			Action.ATTACH, Action.DETACH);

	private final LogRecords logs = LogRecords.start();

	private final VirtualClient server = new VirtualClient();

	@AfterEach
	void nothingReachedTheLogAtErrorOrWithAStackTrace() {
		this.logs.close();
		assertThat(this.logs.errorsOrStackTraces()).isEmpty();
	}

	@Nested
	class EveryAction {

		@ParameterizedTest
		@EnumSource(Action.class)
		void eachActionIsHandledOrCountedAndNeverHurtsTheConnection(Action action) {
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			if (action == Action.ACK || action == Action.NACK) {
				channel.publish("e", "1");
				server.settle();
			}
			server.receive(frameOf(action));
			assertThat(server.client().malformedFrames()).isZero();
			assertThat(server.client().unhandledFrames()).isEqualTo(CLIENT_ACTIONS.contains(action) ? 1 : 0);
			switch (action) {
				case ERROR -> assertThat(server.connection().state()).isEqualTo(ConnectionState.FAILED);
				case DISCONNECTED, CLOSED -> assertThat(server.connection().state()).isIn(ConnectionState.DISCONNECTED,
						ConnectionState.CONNECTING);
				default -> assertThat(server.connection().state()).isEqualTo(CONNECTED);
			}
		}

		private static String frameOf(Action action) {
			return switch (action) {
				case ACK, NACK -> "{\"action\":" + action.code() + ",\"msgSerial\":0,\"count\":1}";
				case CONNECTED -> VirtualClient.connectedFrame("c1", "k1", 15_000);
				case ERROR -> "{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}";
				default -> "{\"action\":" + action.code() + ",\"channel\":\"news\"}";
			};
		}

		@Test
		void actionsOnlyClientsSendAreIgnoredAndCounted() {
			server.connect("c1", "k1");
			for (Action action : CLIENT_ACTIONS) {
				server.receive("{\"action\":" + action.code() + "}");
			}
			assertThat(server.client().unhandledFrames()).isEqualTo(CLIENT_ACTIONS.size());
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

		@ParameterizedTest
		@ValueSource(ints = { 22, 99, -1, Integer.MAX_VALUE })
		void unknownActionsAreIgnoredAndCounted(int code) {
			// RTF1
			server.connect("c1", "k1");
			server.receive("{\"action\":" + code + ",\"channel\":\"news\",\"futureField\":true}");
			assertThat(server.client().unhandledFrames()).isOne();
			assertThat(server.client().malformedFrames()).isZero();
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

		@Test
		void activateIsDeprecatedAndIgnoredWithoutCounting() {
			server.connect("c1", "k1");
			server.receive("{\"action\":18}");
			assertThat(server.client().unhandledFrames()).isZero();
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

		@Test
		void authIsHandledByRenewingTheTokenAndCountsNothing() {
			// RTN22: with a key there is no token to renew, and the connection carries on
			server.connect("c1", "k1");
			server.receive("{\"action\":17}");
			assertThat(server.client().unhandledFrames()).isZero();
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

	}

	@Nested
	class ChannelFrames {

		@ParameterizedTest
		@ValueSource(ints = { 11, 13, 14, 15, 16, 19, 20, 21 })
		void aFrameForAChannelThisClientDoesNotHaveIsCounted(int action) {
			server.connect("c1", "k1");
			server.receive("{\"action\":" + action + ",\"channel\":\"unknown\",\"messages\":[{\"data\":\"x\"}]}");
			server.receive("{\"action\":9,\"channel\":\"unknown\",\"error\":{\"code\":40160,\"message\":\"no\"}}");
			assertThat(server.client().unhandledFrames()).isEqualTo(2);
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

		@ParameterizedTest
		@ValueSource(ints = { 11, 13, 14, 15, 16, 19, 20, 21 })
		void aChannelFrameWithoutAChannelIsMalformed(int action) {
			server.connect("c1", "k1");
			server.attach("news", "s0");
			server.receive("{\"action\":" + action + ",\"messages\":[{\"data\":\"x\"}]}");
			assertThat(server.client().malformedFrames()).isOne();
			assertThat(server.client().unhandledFrames()).isZero();
			assertThat(server.client().channel("news").state()).isEqualTo(ChannelState.ATTACHED);
		}

		@ParameterizedTest
		@ValueSource(ints = { 14, 19, 21 })
		void presenceObjectAndAnnotationMoveTheChannelSerial(int action) {
			// RTL15b: MESSAGE, PRESENCE, ANNOTATION, OBJECT and ATTACHED move it; OBJECT
			// and
			// ANNOTATION are otherwise ignored
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			List<Message> received = new CopyOnWriteArrayList<>();
			channel.subscribe(received::add);
			server.receive("{\"action\":" + action + ",\"channel\":\"news\",\"channelSerial\":\"s1\","
					+ "\"presence\":[{\"action\":2,\"clientId\":\"x\"}],\"state\":[{}],\"annotations\":[{}]}");
			assertThat(received).isEmpty();
			assertThat(reattachSerial()).isEqualTo("s1");
			assertThat(server.client().unhandledFrames()).isZero();
		}

		@ParameterizedTest
		@ValueSource(ints = { 16, 20 })
		void syncAndObjectSyncLeaveTheChannelSerial(int action) {
			// Their channelSerial is a sync cursor [RTP18a, RTO5a], not a position in
			// the channel: RTL15b does not list them
			server.connect("c1", "k1");
			server.attach("news", "s0");
			server.receive("{\"action\":" + action
					+ ",\"channel\":\"news\",\"channelSerial\":\"seq1:cursor\",\"presence\":[]}");
			assertThat(reattachSerial()).isEqualTo("s0");
			assertThat(server.client().unhandledFrames()).isZero();
		}

		@Test
		void framesForAChannelThatIsNotAttachedDoNotMoveItsSerial() {
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			channel.detach();
			server.settle();
			server.receive("{\"action\":19,\"channel\":\"news\",\"channelSerial\":\"s1\"}");
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			channel.attach();
			server.settle();
			assertThat(server.lastSent(Action.ATTACH).getChannelSerial()).isNotEqualTo("s1");
		}

		/**
		 * Return the channel serial the channel attaches from after the server detached
		 * it [RTL13a, RTL4c1].
		 */
		private String reattachSerial() {
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			return server.lastSent(Action.ATTACH).getChannelSerial();
		}

	}

}

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

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.realtime.client.protocol.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@code maxMessageSize} is enforced on publish, before anything is sent
 * [RSL1i, TO3l8, CD2c]. The size of a message is that of its name and data [TM6].
 */
class MaxMessageSizeTests {

	private final VirtualClient server = new VirtualClient();

	@Test
	void aMessageLargerThanTheDefaultMaxMessageSizeFailsWith40009AndIsNotSent() {
		// TO3l8: 64 KiB until the server says otherwise
		server.connection().connect();
		server.settle();
		CompletableFuture<Void> tooLarge = publish(null, "x".repeat(64 * 1024 + 1));
		CompletableFuture<Void> atTheLimit = publish(null, "x".repeat(64 * 1024));
		assertThat(VirtualClient.failureOf(tooLarge)).satisfies((error) -> {
			assertThat(error.code()).isEqualTo(40009);
			assertThat(error.statusCode()).isEqualTo(400);
			assertThat(error.message()).contains("65537 bytes").contains("65536 bytes");
		});
		server.receive(VirtualClient.connectedFrame("c1", "k1", 15_000));
		assertThat(server.sent(Action.MESSAGE)).hasSize(1);
		assertThat(atTheLimit).isNotDone();
	}

	@Test
	void theServersMaxMessageSizeOverridesTheDefault() {
		// CD2c
		server.connection().connect();
		server.settle();
		server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
				+ "\"maxMessageSize\":1000}}");
		assertThat(VirtualClient.failureOf(publish("name", "x".repeat(997))).message()).contains("1001 bytes")
			.contains("1000 bytes");
		assertThat(publish("name", "x".repeat(996))).isNotDone();
		assertThat(server.sent(Action.MESSAGE)).hasSize(1);
		server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"maxMessageSize\":100000}}");
		assertThat(publish("name", "x".repeat(50_000))).isNotDone();
		assertThat(server.sent(Action.MESSAGE)).hasSize(2);
	}

	@Test
	void theSizeIsTheNameAndTheDataInUtf8BytesBinaryAsItsBytesAndObjectsAsTheirJson() {
		// TM6
		server.connection().connect();
		server.settle();
		server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
				+ "\"maxMessageSize\":10}}");
		assertThat(publish("é", "1234567890")).isCompletedExceptionally(); // 2 + 10
		assertThat(publish("é", "12345678")).isNotDone(); // 2 + 8
		assertThat(publish(null, new byte[11])).isCompletedExceptionally(); // not its 16
																			// of base64
		assertThat(publish(null, new byte[10])).isNotDone();
		assertThat(publish(null, Map.of("k", "123456"))).isCompletedExceptionally(); // {"k":"123456"}
		assertThat(publish(null, Map.of("k", "12"))).isNotDone(); // {"k":"12"}
		assertThat(server.sent(Action.MESSAGE)).hasSize(3);
	}

	@Test
	void aMaxMessageSizeThatIsNotPositiveIsIgnoredAndCounted() {
		server.connection().connect();
		server.settle();
		server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
				+ "\"maxMessageSize\":0}}");
		assertThat(publish(null, "x".repeat(1000))).isNotDone();
		assertThat(server.client().malformedFrames()).isOne();
	}

	private CompletableFuture<Void> publish(String name, Object data) {
		CompletableFuture<Void> result = server.client().channel("news").publish(name, data);
		server.settle();
		return result;
	}

}

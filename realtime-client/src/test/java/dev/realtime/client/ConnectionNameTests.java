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
import java.time.Clock;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the name of a connection: what it defaults to, what it may be, and where it
 * tells the application's connections apart.
 *
 * @author Realtime team
 */
class ConnectionNameTests {

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final LogRecords logs = LogRecords.start();

	@AfterEach
	void stopRecording() {
		this.logs.close();
	}

	@Nested
	class Options {

		@Test
		void aConnectionIsNamedDefaultUnlessNamed() {
			assertThat(RealtimeClientOptions.builder(URL).build().name()).isEqualTo("default")
				.isEqualTo(RealtimeClientOptions.DEFAULT_NAME);
			assertThat(RealtimeClientOptions.builder(URL).name("feeds").build().name()).isEqualTo("feeds");
		}

		@ParameterizedTest
		@ValueSource(strings = { "", " ", "eu west", "feeds\t" })
		void aNameMustNotBeEmptyOrContainWhitespace(String name) {
			assertThatIllegalArgumentException().isThrownBy(() -> RealtimeClientOptions.builder(URL).name(name).build())
				.withMessageContaining("'name' must not be empty or contain whitespace");
		}

		@Test
		void theOptionsShowTheName() {
			assertThat(RealtimeClientOptions.builder(URL).name("feeds").build()).asString()
				.startsWith("RealtimeClientOptions[name=feeds, url=ws://realtime.example.com/");
		}

	}

	@Nested
	class Client {

		private final VirtualClient client = new VirtualClient((options) -> options.name("feeds"));

		@Test
		void theClientKnowsTheNameOfItsConnection() {
			assertThat(this.client.client().name()).isEqualTo("feeds");
			assertThat(this.client.client()).asString().startsWith("RealtimeClient[feeds, ws://realtime.example.com/");
		}

		@Test
		void theBuilderShowsCustomizersTheOptionsAndSoTheName() {
			RealtimeClient.Builder builder = RealtimeClient
				.builder(RealtimeClientOptions.builder(URL).name("feeds").build());
			assertThat(builder.options().name()).isEqualTo("feeds");
		}

		@Test
		void stateChangesAreLoggedWithTheNameOfTheConnection() {
			this.client.connect("c1", "k1");
			assertThat(ConnectionNameTests.this.logs.at(Level.INFO))
				.contains("Realtime connection 'feeds' to ws://realtime.example.com/: CONNECTING -> CONNECTED");
		}

	}

	@Nested
	class Events {

		private final RealtimeClient client = RealtimeClient
			.builder(RealtimeClientOptions.builder(URL).name("feeds").build())
			.scheduler(new VirtualTimeScheduler())
			.build();

		@Test
		void aConnectionStateChangedEventCarriesTheNameOfTheConnection() {
			ConnectionStateChangedEvent event = new ConnectionStateChangedEvent(this.client,
					new ConnectionStateChange(ConnectionState.CONNECTING, ConnectionState.CONNECTED, null, null));
			assertThat(event.getConnectionName()).isEqualTo("feeds");
			assertThat(event).hasToString("ConnectionStateChangedEvent[connection=feeds, CONNECTING -> CONNECTED]");
		}

		@Test
		void aChannelStateChangedEventCarriesTheNameOfTheConnection() {
			ChannelStateChangedEvent event = new ChannelStateChangedEvent(this.client,
					new ChannelStateChange("news", ChannelState.ATTACHING, ChannelState.ATTACHED, null, false),
					Clock.systemUTC());
			assertThat(event.getConnectionName()).isEqualTo("feeds");
			assertThat(event).hasToString("ChannelStateChangedEvent[connection=feeds, 'news' ATTACHING -> ATTACHED]");
		}

		@Test
		void aSlowSubscriberEventCarriesTheNameOfTheConnection() {
			SlowSubscriberEvent event = new SlowSubscriberEvent(this.client,
					new SlowSubscribers("news", 2048, SlowSubscriberPolicy.DROP), Clock.systemUTC());
			assertThat(event.getConnectionName()).isEqualTo("feeds");
			assertThat(event).asString()
				.startsWith("SlowSubscriberEvent[connection=feeds, SlowSubscribers[channel=news");
		}

	}

}

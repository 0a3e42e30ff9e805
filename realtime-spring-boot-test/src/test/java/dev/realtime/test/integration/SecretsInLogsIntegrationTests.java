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
import java.net.URI;
import java.time.Duration;
import java.util.stream.Collectors;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credentials never reach the log, even with every logger involved at TRACE.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsIntegrationTests {

	private static final String[] LOGGERS = { "dev.realtime", "org.springframework.web.socket",
			"org.apache.tomcat.websocket" };

	private static final String TOKEN = "token-that-must-not-leak";

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.token(TOKEN)
		.build();

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	@BeforeEach
	void logEverything() {
		for (String logger : LOGGERS) {
			this.logging.setLogLevel(logger, LogLevel.TRACE);
		}
		this.scheduler.initialize();
	}

	@AfterEach
	void logAsBefore() {
		for (String logger : LOGGERS) {
			this.logging.setLogLevel(logger, null);
		}
		this.scheduler.shutdown();
	}

	@Test
	void neitherTheKeyNorTheTokenNorTheConnectionKeyIsLoggedAtTrace(CapturedOutput output) throws IOException {
		String connectionKey = connectAndClose(RealtimeClientOptions.builder(url()).key(TestClients.KEY).build());
		String tokenConnectionKey = connectAndClose(RealtimeClientOptions.builder(url()).token(TOKEN).build());
		// The embedded server is only the test's peer: Spring's server side logs the
		// handshake URI, on the server's own threads
		String clientLog = output.getOut()
			.lines()
			.filter((line) -> !line.contains("[http-nio-"))
			.collect(Collectors.joining("\n"));
		assertThat(clientLog).as("the log was captured").contains("Realtime connection 'default' to");
		assertThat(clientLog).doesNotContain("secret")
			.doesNotContain(TOKEN)
			.doesNotContain(connectionKey)
			.doesNotContain(tokenConnectionKey);
	}

	private String connectAndClose(RealtimeClientOptions options) {
		RealtimeClient client = RealtimeClient.builder(options).scheduler(this.scheduler).build();
		client.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().state() == ConnectionState.CONNECTED);
		String connectionKey = client.connection().key();
		assertThat(client.connection().close()).succeedsWithin(Duration.ofSeconds(10));
		return connectionKey;
	}

	private static URI url() {
		return URI.create(server.url());
	}

}

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
package dev.realtime.test.testcontainers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.realtime.client.ChannelState;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.RealtimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against the embedded server running in a container, with the faults only a
 * container engine can inject: the whole server process frozen with its sockets open, a
 * real restart that loses every session, the server's network cut, and a server that
 * stays away for longer than the connection state TTL. In every case the client recovers
 * as the README promises, and every publish future completes.
 */
@EnabledIfContainerEngine
class ContainerFaultsIntegrationTests {

	private static final String KEY = "app.key:secret";

	private static final Duration MAX_IDLE_INTERVAL = Duration.ofSeconds(1);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

	/** When a silent server is noticed: its idle interval plus the request timeout. */
	private static final Duration IDLE_TIMEOUT = MAX_IDLE_INTERVAL.plus(REQUEST_TIMEOUT);

	private static final Duration SHORT_TTL = Duration.ofSeconds(3);

	private static final Duration LONG_TIMEOUT = Duration.ofSeconds(10);

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	private final List<CompletableFuture<Void>> publishes = new CopyOnWriteArrayList<>();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private RealtimeContainer server;

	private ContainerEngine engine;

	private ThreadPoolTaskScheduler scheduler;

	private RealtimeClient client;

	private RealtimeConnection connection;

	@AfterEach
	void stopEverything() {
		if (this.client != null) {
			this.connection.close().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
			this.scheduler.shutdown();
		}
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void whenTheServerIsFrozenTheClientDisconnectsAfterItsIdleTimeoutAndResumesAfterUnpause() {
		// A connect timeout longer than the freeze: the attempt under way when the server
		// thaws is the one it answers
		String id = connect(startServer(Duration.ofMinutes(2)), (options) -> options.connectTimeout(LONG_TIMEOUT));
		RealtimeChannel channel = attach("frozen");
		assertThat(publish(channel, "before")).succeedsWithin(Duration.ofSeconds(10));
		int mark = this.changes.size();
		this.engine.pause();
		await().atMost(IDLE_TIMEOUT.plusSeconds(3)).until(() -> this.connection.state() != CONNECTED);
		assertIdleTimeout(lastChange(DISCONNECTED).reason());
		CompletableFuture<Void> first = publish(channel, "while frozen 1");
		CompletableFuture<Void> second = publish(channel, "while frozen 2");
		// The kernel still accepts the connection for the frozen server, which cannot
		// answer
		await().atMost(Duration.ofSeconds(5)).until(() -> countSince(mark, CONNECTING) >= 1);
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();
		this.engine.unpause();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.state() == CONNECTED);
		assertThat(this.connection.id()).as("the server still had the session").isEqualTo(id);
		assertThat(this.connection.errorReason()).isNull();
		assertAllPublishesAcknowledged();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 3);
		assertThat(this.received).containsExactly("before", "while frozen 1", "while frozen 2");
	}

	@Test
	void whenTheServerStaysFrozenThroughSeveralAttemptsTheClientRecoversAndSaysWhetherItResumed() {
		String id = connect(startServer(Duration.ofMinutes(2)));
		RealtimeChannel channel = attach("long-frozen");
		assertThat(publish(channel, "before")).succeedsWithin(Duration.ofSeconds(10));
		int mark = this.changes.size();
		this.engine.pause();
		await().atMost(IDLE_TIMEOUT.plusSeconds(3)).until(() -> this.connection.state() != CONNECTED);
		assertIdleTimeout(lastChange(DISCONNECTED).reason());
		publish(channel, "while frozen 1");
		publish(channel, "while frozen 2");
		// Each attempt times out against the frozen server and is abandoned
		await().atMost(Duration.ofSeconds(10))
			.until(() -> countSince(mark, CONNECTING) >= 3 && countSince(mark, DISCONNECTED) >= 3);
		this.engine.unpause();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.state() == CONNECTED);
		// The thawed server answers the abandoned attempts too, each of which resumes the
		// session with a new connection key; the embedded server honours only the latest
		// key, so the client's own resume may find its key superseded. Either way, it
		// must say so
		if (!this.connection.id().equals(id)) {
			assertThat(this.connection.errorReason()).isNotNull();
			assertThat(this.connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
			assertThat(lastChange(CONNECTED).reason()).isEqualTo(this.connection.errorReason());
		}
		assertAllPublishesAcknowledged();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 3);
		assertThat(this.received).containsExactly("before", "while frozen 1", "while frozen 2");
	}

	@Test
	void whenTheServerRestartsTheClientGetsANewConnectionAndReportsTheFailedResume() {
		String id = connect(startServer(Duration.ofMinutes(2)));
		RealtimeChannel channel = attach("restarted");
		assertThat(publish(channel, "before")).succeedsWithin(Duration.ofSeconds(10));
		int mark = this.changes.size();
		this.engine.stop(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.state() != CONNECTED);
		publish(channel, "while stopped 1");
		publish(channel, "while stopped 2");
		await().atMost(Duration.ofSeconds(10)).until(() -> countSince(mark, CONNECTING) >= 2);
		this.engine.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.connection.state() == CONNECTED);
		assertThat(this.connection.id()).as("the restarted server lost every session").isNotEqualTo(id);
		assertThat(this.connection.errorReason()).isNotNull();
		assertThat(this.connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
		assertThat(lastChange(CONNECTED).reason()).isEqualTo(this.connection.errorReason());
		assertAllPublishesAcknowledged();
		await().atMost(Duration.ofSeconds(10)).until(() -> channel.state() == ChannelState.ATTACHED);
		assertThat(publish(channel, "after")).succeedsWithin(Duration.ofSeconds(5));
	}

	@Test
	void whenTheServerStaysAwayLongerThanTheTtlTheClientSuspendsFailsWhatItQueuedAndRecoversLater() {
		String id = connect(startServer(SHORT_TTL));
		RealtimeChannel channel = attach("suspended");
		this.engine.stop(Duration.ofSeconds(10));
		publish(channel, "while stopped");
		await().atMost(SHORT_TTL.plusSeconds(10)).until(() -> this.connection.state() == SUSPENDED);
		assertThat(this.connection.errorReason().code()).isEqualTo(ErrorInfo.SUSPENDED);
		assertAllPublishesCompleted();
		assertThat(this.publishes).allSatisfy((future) -> assertThat(future).isCompletedExceptionally());
		assertThat(failure(this.publishes.get(0)).code()).isEqualTo(ErrorInfo.SUSPENDED);
		assertThat(failure(publish(channel, "while suspended"))).isNotNull();
		this.engine.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.connection.state() == CONNECTED);
		assertThat(this.connection.id()).isNotEqualTo(id);
		assertThat(states()).containsSubsequence(CONNECTED, DISCONNECTED, SUSPENDED, CONNECTING, CONNECTED);
		await().atMost(Duration.ofSeconds(10)).until(() -> channel.state() == ChannelState.ATTACHED);
		assertThat(publish(channel, "after")).succeedsWithin(Duration.ofSeconds(5));
	}

	@Test
	void whenTheServersNetworkIsCutTheClientNoticesAndResumesWhenItComesBack() {
		String id = connect(startServer(Duration.ofMinutes(2)));
		RealtimeChannel channel = attach("cut");
		assertThat(publish(channel, "before")).succeedsWithin(Duration.ofSeconds(10));
		int mark = this.changes.size();
		this.engine.disconnectNetwork();
		await().atMost(IDLE_TIMEOUT.plusSeconds(3)).until(() -> this.connection.state() != CONNECTED);
		publish(channel, "while cut 1");
		publish(channel, "while cut 2");
		await().atMost(Duration.ofSeconds(10)).until(() -> countSince(mark, CONNECTING) >= 2);
		this.engine.connectNetwork();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.connection.state() == CONNECTED);
		assertThat(this.connection.id()).as("the server still had the session").isEqualTo(id);
		assertAllPublishesAcknowledged();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 3);
		assertThat(this.received).containsExactly("before", "while cut 1", "while cut 2");
	}

	private static void assertIdleTimeout(ErrorInfo reason) {
		assertThat(reason.code()).isEqualTo(ErrorInfo.DISCONNECTED);
		assertThat(reason.statusCode()).isEqualTo(408);
	}

	private RealtimeContainer startServer(Duration connectionStateTtl) {
		int hostPort = freePort();
		this.server = new RealtimeContainer().withKey(KEY)
			.withMaxIdleInterval(MAX_IDLE_INTERVAL)
			.withConnectionStateTtl(connectionStateTtl)
			// A fixed host port, so that the server is where the client expects it after
			// a restart (Docker may map a restarted container's port anew)
			.withCreateContainerCmdModifier((command) -> command.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
						ExposedPort.tcp(RealtimeContainer.PORT))));
		this.server.start();
		this.engine = ContainerEngine.of(this.server);
		return this.server;
	}

	private String connect(RealtimeContainer server) {
		return connect(server, UnaryOperator.identity());
	}

	private String connect(RealtimeContainer server, UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		RealtimeClientOptions options = customizer
			.apply(RealtimeClientOptions.builder(URI.create(server.getUrl()))
				.key(server.getKey())
				.connectTimeout(REQUEST_TIMEOUT)
				.requestTimeout(REQUEST_TIMEOUT)
				.retryInitialDelay(Duration.ofMillis(200))
				.retryMaxDelay(Duration.ofMillis(500))
				.retryResetAfter(Duration.ofMillis(500))
				.retrySuspendedInterval(Duration.ofMillis(500))
				.retryChannelInterval(Duration.ofMillis(500)))
			.build();
		this.scheduler = new ThreadPoolTaskScheduler();
		this.scheduler.setPoolSize(3);
		this.scheduler.setThreadNamePrefix("realtime-test-");
		this.scheduler.initialize();
		this.client = RealtimeClient.builder(options).scheduler(this.scheduler).build();
		this.connection = this.client.connection();
		this.connection.addListener(this.changes::add);
		this.connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.state() == CONNECTED);
		return this.connection.id();
	}

	private RealtimeChannel attach(String name) {
		RealtimeChannel channel = this.client.channel(name);
		channel.subscribe((Message message) -> this.received.add((String) message.data()));
		channel.attach();
		// A server that has just started may answer its first ATTACH after the request
		// timeout; the channel then attaches again by itself
		await().atMost(Duration.ofSeconds(10)).until(() -> channel.state() == ChannelState.ATTACHED);
		return channel;
	}

	private CompletableFuture<Void> publish(RealtimeChannel channel, String data) {
		CompletableFuture<Void> future = channel.publish("event", data);
		this.publishes.add(future);
		return future;
	}

	private void assertAllPublishesCompleted() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.publishes).allMatch(CompletableFuture::isDone));
	}

	private void assertAllPublishesAcknowledged() {
		assertAllPublishesCompleted();
		assertThat(this.publishes).allSatisfy((future) -> assertThat(future).isCompleted());
	}

	private static ErrorInfo failure(CompletableFuture<Void> future) {
		await().atMost(Duration.ofSeconds(10)).until(future::isDone);
		try {
			future.join();
		}
		catch (CompletionException ex) {
			assertThat(ex.getCause()).isInstanceOf(RealtimeException.class);
			return ((RealtimeException) ex.getCause()).getErrorInfo();
		}
		throw new AssertionError("The publish was acknowledged");
	}

	private ConnectionStateChange lastChange(ConnectionState state) {
		return this.changes.stream()
			.filter((change) -> change.current() == state)
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("No change to " + state + " in " + this.changes));
	}

	private long countSince(int mark, ConnectionState state) {
		List<ConnectionStateChange> since = this.changes.subList(mark, this.changes.size());
		return since.stream().filter((change) -> change.current() == state).count();
	}

	private List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

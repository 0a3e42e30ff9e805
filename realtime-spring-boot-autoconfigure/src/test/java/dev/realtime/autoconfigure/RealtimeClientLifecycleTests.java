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

package dev.realtime.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ChannelStateChangedEvent;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChangedEvent;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeException;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeClientLifecycle} and {@link RealtimeStateEventPublisher} in an
 * application context, against a {@link FakeTransportFactory}.
 *
 * @author Realtime team
 */
class RealtimeClientLifecycleTests {

	private final FakeTransportFactory transportFactory = new FakeTransportFactory().answerAsServer()
		.answerAsynchronously();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
		.withPropertyValues("realtime.url=ws://realtime.example/v1")
		.withBean(RealtimeClientCustomizer.class, () -> (builder) -> builder.transportFactory(this.transportFactory))
		.withBean(StateChangeRecorder.class);

	@Nested
	class Start {

		@Test
		void whenAutoConnectIsOnTheClientConnectsAndEveryChangeIsPublishedInOrder() {
			RealtimeClientLifecycleTests.this.contextRunner.run((context) -> {
				RealtimeClient client = context.getBean(RealtimeClient.class);
				StateChangeRecorder recorder = context.getBean(StateChangeRecorder.class);
				await().until(() -> recorder.events.size() == 2);
				assertThat(client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(client.connection().id()).isEqualTo("c1");
				assertThat(recorder.events)
					.extracting(ConnectionStateChangedEvent::getPrevious, ConnectionStateChangedEvent::getCurrent,
							ConnectionStateChangedEvent::getSource)
					.containsExactly(tuple(ConnectionState.INITIALIZED, ConnectionState.CONNECTING, client),
							tuple(ConnectionState.CONNECTING, ConnectionState.CONNECTED, client));
				assertThat(RealtimeClientLifecycleTests.this.transportFactory.opened()).singleElement()
					.satisfies((transport) -> assertThat(transport.uri()).hasHost("realtime.example").hasPath("/v1"));
			});
		}

		@Test
		void channelStateChangesArePublishedAsEventsInOrder() {
			RealtimeClientLifecycleTests.this.contextRunner.run((context) -> {
				RealtimeClient client = context.getBean(RealtimeClient.class);
				StateChangeRecorder recorder = context.getBean(StateChangeRecorder.class);
				client.channel("news").attach().join();
				await().until(() -> recorder.channelEvents.size() == 2);
				assertThat(recorder.channelEvents)
					.extracting(ChannelStateChangedEvent::getChannel, ChannelStateChangedEvent::getPrevious,
							ChannelStateChangedEvent::getCurrent, ChannelStateChangedEvent::getSource)
					.containsExactly(tuple("news", ChannelState.INITIALIZED, ChannelState.ATTACHING, client),
							tuple("news", ChannelState.ATTACHING, ChannelState.ATTACHED, client));
			});
		}

		@Test
		void whenAutoConnectIsOffTheClientStaysInitialized() {
			RealtimeClientLifecycleTests.this.contextRunner.withPropertyValues("realtime.auto-connect=false")
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					// Calls are handled in order: this ping sees the outcome of any
					// connect() made on start
					CompletableFuture<?> ping = client.connection().ping();
					await().until(ping::isDone);
					assertThat(ping).failsWithin(Duration.ZERO)
						.withThrowableThat()
						.havingCause()
						.isInstanceOf(RealtimeException.class)
						.withMessageContaining("Cannot ping while INITIALIZED");
					assertThat(client.connection().state()).isEqualTo(ConnectionState.INITIALIZED);
					assertThat(RealtimeClientLifecycleTests.this.transportFactory.opened()).isEmpty();
					assertThat(context.getBean(StateChangeRecorder.class).events).isEmpty();
				});
		}

	}

	@Nested
	class Stop {

		@Test
		void closingTheContextClosesTheConnectionBeforeTheSchedulerShutsDown() {
			RealtimeClientLifecycleTests.this.contextRunner.run((context) -> {
				RealtimeClient client = context.getBean(RealtimeClient.class);
				StateChangeRecorder recorder = context.getBean(StateChangeRecorder.class);
				ThreadPoolTaskScheduler scheduler = context.getBean("realtimeTaskScheduler",
						ThreadPoolTaskScheduler.class);
				AtomicReference<Boolean> schedulerShutDownWhenClosed = new AtomicReference<>();
				context.addApplicationListener((ApplicationListener<ConnectionStateChangedEvent>) (event) -> {
					if (event.getCurrent() == ConnectionState.CLOSED) {
						schedulerShutDownWhenClosed.set(scheduler.getScheduledExecutor().isShutdown());
					}
				});
				await().until(() -> recorder.events.size() == 2);
				context.close();
				assertThat(RealtimeClientLifecycleTests.this.transportFactory.opened())
					.flatExtracting(FakeTransport::sentMessages)
					.extracting(ProtocolMessage::getAction)
					.containsExactly(Action.CLOSE);
				assertThat(client.connection().state()).isEqualTo(ConnectionState.CLOSED);
				assertThat(recorder.events).extracting(ConnectionStateChangedEvent::getCurrent)
					.containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.CLOSING,
							ConnectionState.CLOSED);
				assertThat(schedulerShutDownWhenClosed).hasValue(false);
				assertThat(scheduler.getScheduledExecutor().isShutdown()).isTrue();
			});
		}

		@Test
		void closingTheContextClosesAConnectionThatNeverConnected() {
			RealtimeClientLifecycleTests.this.contextRunner.withPropertyValues("realtime.auto-connect=false")
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					StateChangeRecorder recorder = context.getBean(StateChangeRecorder.class);
					context.close();
					assertThat(client.connection().state()).isEqualTo(ConnectionState.CLOSED);
					assertThat(recorder.events).extracting(ConnectionStateChangedEvent::getCurrent)
						.containsExactly(ConnectionState.CLOSED);
					assertThat(RealtimeClientLifecycleTests.this.transportFactory.opened()).isEmpty();
				});
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class StopWithAnEarlyStoppingScheduler {

		@Test
		void whenTheSchedulerNoLongerAcceptsTasksShutdownContinues(CapturedOutput output) {
			RealtimeClientLifecycleTests.this.contextRunner.withUserConfiguration(DefaultSchedulerConfiguration.class)
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().until(() -> client.connection().state() == ConnectionState.CONNECTED);
					// A scheduler with default settings shuts down as soon as the context
					// starts closing, before lifecycle beans are stopped
					context.close();
					assertThat(output)
						.contains("Realtime connection 'default' did not close cleanly; continuing shutdown");
					assertThat(RealtimeClientLifecycleTests.this.transportFactory.opened())
						.flatExtracting(FakeTransport::sent)
						.isEmpty();
				});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultSchedulerConfiguration {

		@Bean(defaultCandidate = false)
		@RealtimeTaskScheduler
		ThreadPoolTaskScheduler realtimeTaskScheduler() {
			return new ThreadPoolTaskScheduler();
		}

	}

	static class StateChangeRecorder {

		final List<ConnectionStateChangedEvent> events = new CopyOnWriteArrayList<>();

		final List<ChannelStateChangedEvent> channelEvents = new CopyOnWriteArrayList<>();

		@EventListener
		void onStateChange(ConnectionStateChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void onChannelStateChange(ChannelStateChangedEvent event) {
			this.channelEvents.add(event);
		}

	}

}

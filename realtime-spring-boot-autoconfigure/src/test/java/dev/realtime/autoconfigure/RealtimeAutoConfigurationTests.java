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

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeToken;
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeAutoConfiguration}.
 *
 * @author Realtime team
 */
class RealtimeAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class))
		.withPropertyValues("realtime.auto-connect=false");

	@Nested
	class Beans {

		@Test
		void withAUrlTheClientAndItsCollaboratorsAreConfigured() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.run((context) -> {
					assertThat(context).hasSingleBean(RealtimeClient.class)
						.hasSingleBean(RealtimeClientOptions.class)
						.hasSingleBean(PropertiesRealtimeConnectionDetails.class)
						.hasSingleBean(RealtimeClientLifecycle.class)
						.hasSingleBean(RealtimeStateEventPublisher.class)
						.hasBean("realtimeClient")
						.hasBean("realtimeClientOptions")
						.hasBean("realtimeConnectionDetails")
						.hasBean("realtimeTaskScheduler");
					RealtimeClient client = context.getBean(RealtimeClient.class);
					assertThat(client.options()).isSameAs(context.getBean(RealtimeClientOptions.class));
					assertThat(client.connection().state()).isEqualTo(ConnectionState.INITIALIZED);
				});
		}

		@Test
		void propertiesAreMappedToTheClientOptions() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/v1", "realtime.key=app.key:secret",
						"realtime.client-id=client-1", "realtime.echo-messages=false", "realtime.timeouts.connect=3s",
						"realtime.timeouts.request=4s", "realtime.connection-state-ttl=5m",
						"realtime.retry.initial-delay=1s", "realtime.retry.max-delay=7s",
						"realtime.retry.max-attempts=8", "realtime.retry.reset-after=0s",
						"realtime.retry.suspended-interval=9s", "realtime.retry.channel-interval=11s",
						"realtime.queue.capacity=12", "realtime.queue.message-ttl=13s",
						"realtime.queue.bundle-messages=true")
				.run((context) -> {
					RealtimeClientOptions options = context.getBean(RealtimeClientOptions.class);
					assertThat(options.url()).isEqualTo(URI.create("wss://realtime.example/v1"));
					assertThat(options.key()).isEqualTo("app.key:secret");
					assertThat(options.token()).as("a key or a token, never both").isNull();
					assertThat(options.clientId()).isEqualTo("client-1");
					assertThat(options.echoMessages()).isFalse();
					assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
					assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
					assertThat(options.connectionStateTtl()).isEqualTo(Duration.ofMinutes(5));
					assertThat(options.retry()).isEqualTo(new RealtimeClientOptions.Retry(Duration.ofSeconds(1),
							Duration.ofSeconds(7), 8, Duration.ZERO, Duration.ofSeconds(9), Duration.ofSeconds(11)));
					assertThat(options.queueCapacity()).isEqualTo(12);
					assertThat(options.messageTtl()).isEqualTo(Duration.ofSeconds(13));
					assertThat(options.bundleMessages()).isTrue();
				});
		}

		@Test
		void theInboundFrameLimitIsMappedToTheClientOptions() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.limits.max-inbound-frame-size=256KB")
				.run((context) -> assertThat(context.getBean(RealtimeClientOptions.class).maxInboundFrameSize())
					.isEqualTo(DataSize.ofKilobytes(256)));
		}

		@Test
		void defaultsMatchTheClientDefaults() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.run((context) -> assertThat(context.getBean(RealtimeClientOptions.class))
					.isEqualTo(RealtimeClientOptions.builder(URI.create("ws://localhost:1/")).build()));
		}

	}

	@Nested
	class BackOff {

		@Test
		void backsOffFromAUserClientButStillManagesItsLifecycle() {
			RealtimeAutoConfigurationTests.this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
				.run((context) -> {
					assertThat(context).hasSingleBean(RealtimeClient.class)
						.hasBean("userClient")
						.doesNotHaveBean("realtimeTaskScheduler")
						.doesNotHaveBean(RealtimeClientOptions.class)
						.hasSingleBean(RealtimeClientLifecycle.class)
						.hasSingleBean(RealtimeStateEventPublisher.class);
				});
		}

		@Test
		void userClientOptionsAreUsedAndNoUrlIsNeeded() {
			RealtimeClientOptions options = RealtimeClientOptions.builder(URI.create("ws://localhost:2/")).build();
			RealtimeAutoConfigurationTests.this.contextRunner
				.withBean("userOptions", RealtimeClientOptions.class, () -> options)
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean("realtimeClientOptions");
					assertThat(context.getBean(RealtimeClient.class).options()).isSameAs(options);
				});
		}

		@Test
		void userConnectionDetailsAreUsedAndNoUrlIsNeeded() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.key=ignored")
				.withBean(RealtimeConnectionDetails.class, () -> new RealtimeConnectionDetails() {

					@Override
					public URI getUrl() {
						return URI.create("ws://container.local:3/");
					}

					@Override
					public String getToken() {
						return "container-token";
					}

				})
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(PropertiesRealtimeConnectionDetails.class);
					RealtimeClientOptions options = context.getBean(RealtimeClientOptions.class);
					assertThat(options.url()).isEqualTo(URI.create("ws://container.local:3/"));
					assertThat(options.key()).isNull();
					assertThat(options.token()).isEqualTo("container-token");
				});
		}

		@Test
		void aUserRealtimeTaskSchedulerReplacesOurs() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.withUserConfiguration(UserRealtimeTaskSchedulerConfiguration.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ThreadPoolTaskScheduler scheduler = context.getBean("realtimeTaskScheduler",
							ThreadPoolTaskScheduler.class);
					assertThat(scheduler.getThreadNamePrefix()).isEqualTo("user-realtime-");
				});
		}

	}

	@Nested
	class Disabled {

		@Test
		void whenDisabledNothingIsConfigured() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.enabled=false", "realtime.url=ws://localhost:1/")
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(RealtimeClient.class)
					.doesNotHaveBean(RealtimeProperties.class)
					.doesNotHaveBean("realtimeTaskScheduler"));
		}

		@Test
		void whenDisabledAMissingUrlIsFine() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeClient.class));
		}

		@Test
		void withoutTheClientLibraryNothingIsConfigured() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.withClassLoader(new FilteredClassLoader(RealtimeClient.class))
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("realtimeClient"));
		}

		@Test
		void withoutSpringWebSocketNothingIsConfigured() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.withClassLoader(new FilteredClassLoader(WebSocketClient.class))
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeClient.class));
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class MissingUrl {

		@Test
		void startupFailsAndTheFailureAnalysisSaysWhatToSet() {
			RealtimeAutoConfigurationTests.this.contextRunner.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(MissingRealtimeUrlException.class);
				FailureAnalysis analysis = new MissingRealtimeUrlFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("no server URL is configured");
				assertThat(analysis.getAction()).contains("Set 'realtime.url'")
					.contains("realtime.url=ws://localhost:8080/")
					.contains("realtime.enabled=false");
			});
		}

		@Test
		void anApplicationStartedWithoutAUrlReportsTheAnalysis(CapturedOutput output) {
			SpringApplication application = new SpringApplication(RealtimeApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			assertThatException().isThrownBy(application::run);
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("no server URL is configured")
				.contains("Action:")
				.contains("realtime.url=ws://localhost:8080/");
		}

	}

	@Nested
	class InvalidValues {

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				realtime.timeouts.connect          | 0s
				realtime.timeouts.request          | -1s
				realtime.connection-state-ttl      | 0s
				realtime.retry.initial-delay       | 0ms
				realtime.retry.max-delay           | 0s
				realtime.retry.max-attempts        | 0
				realtime.retry.reset-after         | -1s
				realtime.retry.suspended-interval  | 0s
				realtime.retry.channel-interval    | 0s
				realtime.queue.capacity            | 0
				realtime.queue.message-ttl         | 0s
				realtime.limits.max-inbound-frame-size | 0B
				realtime.scheduler.pool-size       | 0
				realtime.url                       | http://localhost:8080/
				realtime.url                       | localhost:8080
				""")
		void anInvalidValueFailsStartupNamingTheKey(String key, String value) {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://localhost:1/", key + "=" + value)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining(key)
						.extracting("name")
						.isEqualTo(key);
				});
		}

		@Test
		void anInvalidUrlIsReportedWithoutItsCredentials() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=https://user:hunter2@realtime.example/v1?key=app.key:secret")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.hasMessageContaining("https://realtime.example/v1")
						.hasMessageNotContaining("hunter2")
						.hasMessageNotContaining("secret");
				});
		}

	}

	@Nested
	class Customization {

		@Test
		void customizersAreAppliedInOrder() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.withUserConfiguration(CustomizersConfiguration.class)
				.run((context) -> assertThat(context.getBean(CustomizersConfiguration.class).applied)
					.containsExactly("first", "second"));
		}

		@Test
		void theApplicationClockDoesNotDriveProtocolTiming() {
			FakeTransportFactory transportFactory = new FakeTransportFactory().answerAsServer().answerAsynchronously();
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=true")
				.withBean("minuteTickingClock", Clock.class, MinuteTickingClock::new)
				.withBean("fixedClock", Clock.class, () -> Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
				.withBean(RealtimeClientCustomizer.class, () -> (builder) -> builder.transportFactory(transportFactory))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().until(() -> client.connection().state() == ConnectionState.CONNECTED);
					// Each reading of the minute-ticking clock is a minute after the last
					assertThat(client.connection().ping()).succeedsWithin(Duration.ofSeconds(10))
						.satisfies((roundTrip) -> assertThat(roundTrip).isLessThan(Duration.ofMinutes(1)));
				});
		}

		@Test
		void aCustomizerSetsTheTickerOfProtocolTiming() {
			FakeTransportFactory transportFactory = new FakeTransportFactory().answerAsServer().answerAsynchronously();
			AtomicLong nanos = new AtomicLong();
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.auto-connect=true")
				.withBean(RealtimeClientCustomizer.class,
						() -> (builder) -> builder.transportFactory(transportFactory)
							.ticker(() -> nanos.addAndGet(Duration.ofMinutes(1).toNanos())))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().until(() -> client.connection().state() == ConnectionState.CONNECTED);
					assertThat(client.connection().ping()).succeedsWithin(Duration.ofSeconds(10))
						.satisfies((roundTrip) -> assertThat(roundTrip).isGreaterThanOrEqualTo(Duration.ofMinutes(1)));
				});
		}

	}

	@Nested
	class Scheduling {

		@Test
		void theApplicationKeepsItsOwnTaskScheduler() {
			RealtimeAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.url=ws://localhost:1/")
				.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
				.withUserConfiguration(SchedulingConfiguration.class)
				.run((context) -> {
					assertThat(context).hasBean("taskScheduler").hasBean("realtimeTaskScheduler");
					SchedulerUser user = context.getBean(SchedulerUser.class);
					assertThat(user.scheduler).isSameAs(context.getBean("taskScheduler"));
					assertThat(user.realtimeScheduler).isSameAs(context.getBean("realtimeTaskScheduler"));
				});
		}

		@Test
		void theRealtimeSchedulerIsSizedByProperties() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://localhost:1/", "realtime.scheduler.pool-size=3")
				.run((context) -> {
					ThreadPoolTaskScheduler scheduler = context.getBean("realtimeTaskScheduler",
							ThreadPoolTaskScheduler.class);
					assertThat(scheduler.getScheduledThreadPoolExecutor().getCorePoolSize()).isEqualTo(3);
					assertThat(scheduler.getThreadNamePrefix()).isEqualTo("realtime-");
				});
		}

	}

	@Nested
	class Secrets {

		@ParameterizedTest
		@CsvSource({ "realtime.key=app.key:key-secret", "realtime.token=token-secret" })
		void secretsAreNotShownByToString(String credential) {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/v1", credential)
				.run((context) -> {
					assertThat(context.getBean(RealtimeProperties.class)).asString().doesNotContain("secret");
					assertThat(context.getBean(RealtimeConnectionDetails.class)).asString().doesNotContain("secret");
					assertThat(context.getBean(RealtimeClientOptions.class)).asString().doesNotContain("secret");
					assertThat(context.getBean(RealtimeClient.class)).asString().doesNotContain("secret");
				});
		}

	}

	@Nested
	class Credentials {

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				no-colon
				:secret
				name:
				""")
		void aKeyThatIsNotNameColonSecretFailsStartupNamingTheKey(String value) {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/v1", "realtime.key=" + value)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("The key must have the form 'name:secret'")
					.extracting("name")
					.isEqualTo("realtime.key"));
		}

		@Test
		void aKeyAndATokenTogetherFailStartup() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/v1", "realtime.key=app.key:secret",
						"realtime.token=token-secret")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("cannot be used together with realtime.key")
					.hasMessageNotContaining("token-secret"));
		}

		@Test
		void aKeyOverPlainWebSocketToAHostThatIsNotLoopbackFailsStartup() {
			// RSC18
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://realtime.example/v1", "realtime.key=app.key:secret")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("clear text")
					.hasMessageContaining("realtime.allow-key-over-plain-web-socket"));
		}

		@Test
		void aKeyOverPlainWebSocketIsAllowedToLoopbackOrWhenSaidSo() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://127.0.0.1:1/", "realtime.key=app.key:secret")
				.run((context) -> assertThat(context).hasNotFailed());
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://realtime.example/v1", "realtime.key=app.key:secret",
						"realtime.allow-key-over-plain-web-socket=true")
				.run((context) -> assertThat(context).hasNotFailed());
		}

		@Test
		void aTokenProviderBeanIsUsedInsteadOfAStaticToken() {
			FakeTransportFactory transportFactory = new FakeTransportFactory().answerAsServer().answerAsynchronously();
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://realtime.example/v1", "realtime.token=static",
						"realtime.auto-connect=true")
				.withBean(RealtimeTokenProvider.class, () -> () -> new RealtimeToken("from-provider", null))
				.withBean(RealtimeClientCustomizer.class, () -> (builder) -> builder.transportFactory(transportFactory))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().until(() -> client.connection().state() == ConnectionState.CONNECTED);
					assertThat(transportFactory.opened()).singleElement()
						.satisfies((transport) -> assertThat(transport.query()).containsEntry("accessToken",
								"from-provider"));
				});
		}

		@Test
		void aTokenProviderBeanAndAKeyTogetherFailStartup() {
			RealtimeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/v1", "realtime.key=app.key:secret")
				.withBean(RealtimeTokenProvider.class, () -> () -> new RealtimeToken("t", null))
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("RealtimeTokenProvider bean cannot be used together with a key"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RealtimeAutoConfiguration.class)
	static class RealtimeApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		ThreadPoolTaskScheduler userScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setWaitForTasksToCompleteOnShutdown(true);
			return scheduler;
		}

		@Bean
		RealtimeClient userClient(ThreadPoolTaskScheduler userScheduler) {
			return RealtimeClient.builder(RealtimeClientOptions.builder(URI.create("ws://localhost:1/")).build())
				.scheduler(userScheduler)
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRealtimeTaskSchedulerConfiguration {

		@Bean(defaultCandidate = false)
		@RealtimeTaskScheduler
		ThreadPoolTaskScheduler realtimeTaskScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("user-realtime-");
			scheduler.setWaitForTasksToCompleteOnShutdown(true);
			return scheduler;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<String> applied = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		RealtimeClientCustomizer second() {
			return (builder) -> this.applied.add("second");
		}

		@Bean
		@Order(1)
		RealtimeClientCustomizer first() {
			return (builder) -> this.applied.add("first");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		SchedulerUser schedulerUser() {
			return new SchedulerUser();
		}

	}

	static class SchedulerUser {

		@Autowired
		TaskScheduler scheduler;

		@Autowired
		@RealtimeTaskScheduler
		TaskScheduler realtimeScheduler;

	}

	/**
	 * A clock that moves a minute forward each time it is read.
	 */
	static class MinuteTickingClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public synchronized Instant instant() {
			this.now = this.now.plus(Duration.ofMinutes(1));
			return this.now;
		}

	}

}

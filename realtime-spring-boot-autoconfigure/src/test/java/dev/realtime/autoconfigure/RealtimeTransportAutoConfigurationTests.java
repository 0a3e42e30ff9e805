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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.WebSocketTransportFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for the transport that {@link RealtimeAutoConfiguration} configures: the
 * {@link TransportFactory} bean, its shared container, its limits, TLS through SSL
 * bundles, and what happens without a WebSocket container.
 *
 * @author Realtime team
 */
class RealtimeTransportAutoConfigurationTests {

	/**
	 * Hides what excluding {@code tomcat-embed-websocket} removes: Tomcat's JSR-356
	 * client container, the container of the starter, and the JSR-356 API it carries.
	 */
	private static final FilteredClassLoader WITHOUT_WEB_SOCKET_CONTAINER = new FilteredClassLoader(
			"org.apache.tomcat.websocket", "jakarta.websocket");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("realtime.auto-connect=false", "realtime.url=wss://realtime.example/");

	@Nested
	class DefaultTransport {

		@Test
		void theTransportFactoryIsABeanOnAContainerThatTheContextShares() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.run((context) -> {
				assertThat(context).hasSingleBean(TransportFactory.class)
					.hasBean("realtimeTransportFactory")
					.hasSingleBean(RealtimeWebSocketContainer.class)
					.hasBean("realtimeWebSocketContainer");
				RealtimeWebSocketContainer container = context.getBean(RealtimeWebSocketContainer.class);
				assertThat(container).isNotSameAs(RealtimeWebSocketContainer.jvmDefault());
				assertThat(context.getBean(WebSocketTransportFactory.class)).extracting("client.container")
					.isSameAs(container.getContainer());
			});
		}

		@Test
		void theClientOpensItsConnectionsWithTheTransportFactoryBean() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.run((context) -> assertThat(context.getBean(RealtimeClient.class))
					.extracting("connection.transportFactory")
					.isSameAs(context.getBean(TransportFactory.class)));
		}

		@Test
		void eachContextHasAContainerOfItsOwn() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.run((first) -> RealtimeTransportAutoConfigurationTests.this.contextRunner
					.run((second) -> assertThat(first.getBean(RealtimeWebSocketContainer.class).getContainer())
						.isNotSameAs(second.getBean(RealtimeWebSocketContainer.class).getContainer())));
		}

		@Test
		void theHandshakeTimesOutAfterTheConnectTimeout() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.timeouts.connect=3s")
				.run((context) -> assertThat(context.getBean(WebSocketTransportFactory.class))
					.extracting("client.userProperties")
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("org.apache.tomcat.websocket.IO_TIMEOUT_MS", "3000"));
		}

	}

	@Nested
	class UserBeans {

		@Test
		void aTransportFactoryOfTheApplicationReplacesTheDefault() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean("userTransportFactory", TransportFactory.class,
						() -> new FakeTransportFactory().answerAsServer())
				.withPropertyValues("realtime.auto-connect=true")
				.run((context) -> {
					assertThat(context).hasSingleBean(TransportFactory.class)
						.doesNotHaveBean("realtimeTransportFactory")
						.doesNotHaveBean(RealtimeWebSocketContainer.class);
					FakeTransportFactory transports = context.getBean(FakeTransportFactory.class);
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(Duration.ofSeconds(5))
						.until(() -> client.connection().state() == ConnectionState.CONNECTED);
					assertThat(transports.opened()).hasSize(1);
				});
		}

		@Test
		void aWebSocketClientOfTheApplicationReplacesTheDefault() {
			StandardWebSocketClient userClient = new StandardWebSocketClient();
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean("userWebSocketClient", WebSocketClient.class, () -> userClient)
				.run((context) -> {
					assertThat(context).hasBean("realtimeTransportFactory")
						.doesNotHaveBean(RealtimeWebSocketContainer.class);
					assertThat(context.getBean(WebSocketTransportFactory.class)).extracting("client")
						.isSameAs(userClient);
				});
		}

		@Test
		void anSslBundleCannotConfigureAWebSocketClientOfTheApplication() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean("userWebSocketClient", WebSocketClient.class, StandardWebSocketClient::new)
				.withPropertyValues("realtime.ssl.bundle=client")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("realtime.ssl.bundle")
						.hasMessageContaining("WebSocketClient bean");
				});
		}

	}

	@Nested
	class SendLimits {

		@Test
		void byDefaultTheSendTimeLimitIsTheRequestTimeoutAndTheBufferTheSendWindowAnd1MB() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.timeouts.request=4s", "realtime.queue.send-window=3MB")
				.run((context) -> {
					WebSocketTransportFactory factory = context.getBean(WebSocketTransportFactory.class);
					assertThat(factory).extracting("sendTimeLimit").isEqualTo(Duration.ofSeconds(4));
					assertThat(factory).extracting("sendBufferSizeLimit").isEqualTo(DataSize.ofMegabytes(4));
				});
		}

		@Test
		void theSendLimitsAreProperties() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.transport.send-time-limit=2500ms",
						"realtime.transport.send-buffer-size=5MB", "realtime.limits.max-inbound-frame-size=256KB")
				.run((context) -> {
					WebSocketTransportFactory factory = context.getBean(WebSocketTransportFactory.class);
					assertThat(factory).extracting("sendTimeLimit").isEqualTo(Duration.ofMillis(2500));
					assertThat(factory).extracting("sendBufferSizeLimit").isEqualTo(DataSize.ofMegabytes(5));
					assertThat(factory).extracting("maxInboundFrameSize").isEqualTo(DataSize.ofKilobytes(256));
				});
		}

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				realtime.transport.send-time-limit  | 0s         | must be positive
				realtime.transport.send-time-limit  | -1s        | must be positive
				realtime.transport.send-buffer-size | 0B         | must be positive
				realtime.transport.send-buffer-size | 1MB        | larger than realtime.queue.send-window
				""")
		void anInvalidValueFailsStartupNamingTheKey(String key, String value, String reason) {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.withPropertyValues(key + "=" + value)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining(reason)
						.extracting("name")
						.isEqualTo(key);
				});
		}

	}

	@Nested
	class Tls {

		@TempDir
		Path directory;

		@Test
		void withoutABundleTheJvmDefaultTrustApplies() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.run((context) -> assertThat(context.getBean(WebSocketTransportFactory.class))
					.extracting("client.sslContext")
					.isNull());
		}

		@Test
		void theNamedSslBundleSetsTheTlsContextOfTheWebSocketClient() throws Exception {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues(EmptyTrustStoreBundle.properties(this.directory, "client"))
				.withPropertyValues("realtime.ssl.bundle=client")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(WebSocketTransportFactory.class)).extracting("client.sslContext")
						.isNotNull();
				});
		}

		@Test
		void anUnknownBundleFailsStartup() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.ssl.bundle=missing")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(NoSuchSslBundleException.class)
						.hasMessageContaining("missing");
				});
		}

		@Test
		void aBundleWithCiphersOrProtocolsThatTheClientCannotApplyFailsStartup() throws Exception {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues(EmptyTrustStoreBundle.properties(this.directory, "client"))
				.withPropertyValues("spring.ssl.bundle.jks.client.options.enabled-protocols=TLSv1.3",
						"realtime.ssl.bundle=client")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("realtime.ssl.bundle")
						.hasMessageContaining("ciphers or enabled protocols");
				});
		}

		@Test
		void theSslBundleOfTheConnectionDetailsSetsTheTlsContextOfTheWebSocketClient() throws Exception {
			SSLContext sslContext = initializedSslContext();
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean(RealtimeConnectionDetails.class, () -> connectionDetails(bundleCreating(sslContext)))
				.run((context) -> assertThat(context.getBean(WebSocketTransportFactory.class))
					.extracting("client.sslContext")
					.isSameAs(sslContext));
		}

		@Test
		void theSslBundleOfTheConnectionDetailsWinsOverTheNamedBundle() throws Exception {
			SSLContext sslContext = initializedSslContext();
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues(EmptyTrustStoreBundle.properties(this.directory, "client"))
				.withPropertyValues("realtime.ssl.bundle=client")
				.withBean(RealtimeConnectionDetails.class, () -> connectionDetails(bundleCreating(sslContext)))
				.run((context) -> assertThat(context.getBean(WebSocketTransportFactory.class))
					.extracting("client.sslContext")
					.isSameAs(sslContext));
		}

		@Test
		void connectionDetailsWithoutAnSslBundleLeaveTheTlsContextToTheNamedBundle() throws Exception {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withPropertyValues(EmptyTrustStoreBundle.properties(this.directory, "client"))
				.withPropertyValues("realtime.ssl.bundle=client")
				.withBean(RealtimeConnectionDetails.class, () -> connectionDetails(null))
				.run((context) -> assertThat(context.getBean(WebSocketTransportFactory.class))
					.extracting("client.sslContext")
					.isNotNull());
		}

		@Test
		void anSslBundleOfTheConnectionDetailsCannotConfigureAWebSocketClientOfTheApplication() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean("userWebSocketClient", WebSocketClient.class, StandardWebSocketClient::new)
				.withBean(RealtimeConnectionDetails.class, () -> connectionDetails(SslBundle.of(SslStoreBundle.NONE)))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(IllegalStateException.class)
						.hasMessageContaining("RealtimeConnectionDetails come with an SSL bundle")
						.hasMessageContaining("WebSocketClient bean");
				});
		}

		@Test
		void anSslBundleOfTheConnectionDetailsWithCiphersOrProtocolsFailsStartup() {
			SslBundle bundle = SslBundle.of(SslStoreBundle.NONE, SslBundleKey.NONE,
					SslOptions.of(null, new String[] { "TLSv1.3" }));
			RealtimeTransportAutoConfigurationTests.this.contextRunner
				.withBean(RealtimeConnectionDetails.class, () -> connectionDetails(bundle))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(IllegalStateException.class)
						.hasMessageContaining("SSL bundle of the RealtimeConnectionDetails")
						.hasMessageContaining("ciphers or enabled protocols");
				});
		}

		private static RealtimeConnectionDetails connectionDetails(SslBundle sslBundle) {
			return new RealtimeConnectionDetails() {

				@Override
				public URI getUrl() {
					return URI.create("wss://container.example/");
				}

				@Override
				public SslBundle getSslBundle() {
					return sslBundle;
				}

			};
		}

		private static SslBundle bundleCreating(SSLContext sslContext) {
			SslBundle bundle = mock(SslBundle.class);
			given(bundle.getOptions()).willReturn(SslOptions.NONE);
			given(bundle.createSslContext()).willReturn(sslContext);
			return bundle;
		}

		private static SSLContext initializedSslContext() throws GeneralSecurityException {
			SSLContext sslContext = SSLContext.getInstance("TLS");
			sslContext.init(null, null, null);
			return sslContext;
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class MissingWebSocketContainer {

		@Test
		void withoutAContainerStartupFailsAndTheAnalysisNamesTheDependencyToAdd() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.withClassLoader(WITHOUT_WEB_SOCKET_CONTAINER)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(MissingWebSocketContainerException.class);
					FailureAnalysis analysis = new MissingWebSocketContainerFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("no JSR-356 WebSocket client container");
					assertThat(analysis.getAction()).contains("org.apache.tomcat.embed:tomcat-embed-websocket")
						.contains("WebSocketClient or TransportFactory bean")
						.contains("realtime.enabled=false");
				});
		}

		@Test
		void withoutAContainerATransportFactoryOfTheApplicationIsEnough() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.withClassLoader(WITHOUT_WEB_SOCKET_CONTAINER)
				.withBean(TransportFactory.class, FakeTransportFactory::new)
				.run((context) -> assertThat(context).hasNotFailed()
					.hasSingleBean(RealtimeClient.class)
					.doesNotHaveBean(RealtimeWebSocketContainer.class));
		}

		@Test
		void withoutAContainerADisabledClientIsFine() {
			RealtimeTransportAutoConfigurationTests.this.contextRunner.withClassLoader(WITHOUT_WEB_SOCKET_CONTAINER)
				.withPropertyValues("realtime.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeClient.class));
		}

		@Test
		void anApplicationStartedWithoutAContainerReportsTheAnalysis(CapturedOutput output) {
			SpringApplication application = new SpringApplication(RealtimeApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setResourceLoader(new DefaultResourceLoader(WITHOUT_WEB_SOCKET_CONTAINER));
			application.setDefaultProperties(java.util.Map.of("realtime.url", "ws://localhost:1/"));
			assertThatException().isThrownBy(application::run);
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("no JSR-356 WebSocket client container")
				.contains("Action:")
				.contains("org.apache.tomcat.embed:tomcat-embed-websocket");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RealtimeAutoConfiguration.class)
	static class RealtimeApplication {

	}

}

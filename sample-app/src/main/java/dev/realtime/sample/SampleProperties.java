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

package dev.realtime.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application.
 *
 * @author Realtime team
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final EmbeddedServer embeddedServer = new EmbeddedServer();

	private final Chaos chaos = new Chaos();

	public EmbeddedServer getEmbeddedServer() {
		return this.embeddedServer;
	}

	public Chaos getChaos() {
		return this.chaos;
	}

	public static class EmbeddedServer {

		/**
		 * Whether to run an embedded realtime server and connect to it instead of
		 * realtime.url.
		 */
		private boolean enabled = true;

		/**
		 * API key the embedded server accepts and the client presents.
		 */
		private String key = "sample.app:not-a-secret";

		/**
		 * Longest the embedded server stays silent on a healthy connection.
		 */
		private Duration maxIdleInterval = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public Duration getMaxIdleInterval() {
			return this.maxIdleInterval;
		}

		public void setMaxIdleInterval(Duration maxIdleInterval) {
			this.maxIdleInterval = maxIdleInterval;
		}

	}

	public static class Chaos {

		/**
		 * Whether to break the link to the embedded server every interval.
		 */
		private boolean enabled;

		/**
		 * Time between two faults.
		 */
		private Duration interval = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

}

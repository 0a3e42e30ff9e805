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

package dev.realtime.test.autoconfigure;

import java.time.Duration;

import dev.realtime.test.autoconfigure.AutoConfigureRealtimeServer.Replace;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the embedded realtime server that
 * {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer} starts.
 *
 * @author Realtime team
 */
@ConfigurationProperties("realtime.test.server")
public class RealtimeTestServerProperties {

	/**
	 * API key the embedded server accepts and the client presents, as appId.keyId:secret.
	 */
	private String key = "realtime.test:secret";

	/**
	 * Longest the embedded server stays silent on a healthy connection, as told to
	 * clients.
	 */
	private Duration maxIdleInterval = Duration.ofSeconds(15);

	/**
	 * How often the embedded server sends a heartbeat on each connection. Half the max
	 * idle interval when not set.
	 */
	private @Nullable Duration heartbeatInterval;

	/**
	 * How long the embedded server keeps a connection's state after its WebSocket
	 * dropped, as told to clients.
	 */
	private Duration connectionStateTtl = Duration.ofMinutes(2);

	/**
	 * Which connection details the embedded server's take the place of.
	 */
	private Replace replace = Replace.NON_TEST;

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

	public @Nullable Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getConnectionStateTtl() {
		return this.connectionStateTtl;
	}

	public void setConnectionStateTtl(Duration connectionStateTtl) {
		this.connectionStateTtl = connectionStateTtl;
	}

	public Replace getReplace() {
		return this.replace;
	}

	public void setReplace(Replace replace) {
		this.replace = replace;
	}

}

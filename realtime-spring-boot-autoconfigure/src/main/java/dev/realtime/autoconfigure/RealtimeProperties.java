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

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the realtime client: the connection of {@code realtime.*},
 * the scheduler the connections share, and the named connections of
 * {@code realtime.connections.<name>.*}, each of which inherits every {@code realtime.*}
 * setting of a connection that it does not set itself, but {@code recover}.
 *
 * @author Realtime team
 */
@ConfigurationProperties("realtime")
public class RealtimeProperties extends RealtimeConnectionProperties {

	/**
	 * Whether to auto-configure the realtime client.
	 */
	private boolean enabled = true;

	private final Scheduler scheduler = new Scheduler();

	/**
	 * Named connections, each a RealtimeClient bean qualified with its name, with the
	 * settings of realtime.* that it does not set itself, but recover.
	 */
	private final Map<String, RealtimeConnectionProperties> connections = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	public Map<String, RealtimeConnectionProperties> getConnections() {
		return this.connections;
	}

	public static class Scheduler {

		/**
		 * Number of threads of the scheduler shared by realtime connections and their
		 * timers. Application callbacks never run on it.
		 */
		private int poolSize = 3;

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

	}

}

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

/**
 * A source of monotonic time for protocol timing: idle detection, the connection state
 * TTL, retries, ping round trips and queue expiry. Never the wall clock, so that a clock
 * step (NTP, a test's fixed {@link java.time.Clock}) cannot fake an idle timeout or
 * switch one off. Tests inject a virtual ticker to drive time without sleeping.
 *
 * @author Realtime team
 * @see RealtimeClient.Builder#ticker(Ticker)
 */
@FunctionalInterface
public interface Ticker {

	/**
	 * Return the current value of a monotonic clock, in nanoseconds, from an arbitrary
	 * origin. Only differences between two readings are meaningful.
	 * @return nanoseconds
	 */
	long nanoTime();

	/**
	 * Return the ticker of the JVM's monotonic clock, {@link System#nanoTime()}.
	 * @return the system ticker
	 */
	static Ticker system() {
		return System::nanoTime;
	}

}

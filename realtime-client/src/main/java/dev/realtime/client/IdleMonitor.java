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

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Notices a server that has gone silent [RTN23a]: while connected, the server sends
 * something (a frame or a {@code HEARTBEAT}) at least every {@code maxIdleInterval};
 * after that plus the request timeout without a word, the transport is taken for dead.
 * Only this notices a frozen link: the socket stays open and no callback fires.
 * <p>
 * While the connection has stopped reading (its subscribers are behind), the server may
 * be talking: silence is not counted then. Confined to the actor.
 *
 * @author Realtime team
 */
final class IdleMonitor {

	private final Ticker ticker;

	private final ActorTimers timers;

	private final Duration requestTimeout;

	private final BooleanSupplier readingPaused;

	private final Consumer<ErrorInfo> onIdle;

	/** The longest the server may stay silent; zero if it allows any silence [CD2h]. */
	private Duration maxIdleInterval = Duration.ZERO;

	/** When the server was last heard from, in {@link Ticker} nanoseconds. */
	private long lastActivity;

	private ActorTimers.@Nullable Timer check;

	/**
	 * Create a monitor.
	 * @param ticker the monotonic time
	 * @param timers the timers of the connection's state, cancelled when it is left
	 * @param requestTimeout the grace added to the server's interval
	 * @param readingPaused whether the connection has stopped reading
	 * @param onIdle told, on the actor, when the server has been silent too long
	 */
	IdleMonitor(Ticker ticker, ActorTimers timers, Duration requestTimeout, BooleanSupplier readingPaused,
			Consumer<ErrorInfo> onIdle) {
		this.ticker = ticker;
		this.timers = timers;
		this.requestTimeout = requestTimeout;
		this.readingPaused = readingPaused;
		this.onIdle = onIdle;
		this.lastActivity = ticker.nanoTime();
	}

	/**
	 * The server was heard from, or not reading was the client's choice.
	 */
	void onActivity() {
		this.lastActivity = this.ticker.nanoTime();
	}

	/**
	 * Start watching, or watch with a new interval, from now: on {@code CONNECTED} and on
	 * every update of the connection details.
	 * @param maxIdleInterval the server's {@code maxIdleInterval}; zero if it allows any
	 * silence
	 */
	void watch(Duration maxIdleInterval) {
		this.maxIdleInterval = maxIdleInterval;
		onActivity();
		scheduleCheck(timeout());
	}

	private Duration timeout() {
		return this.maxIdleInterval.plus(this.requestTimeout);
	}

	private void scheduleCheck(Duration delay) {
		if (this.check != null) {
			this.check.cancel();
			this.check = null;
		}
		if (!this.maxIdleInterval.isZero()) {
			this.check = this.timers.schedule(delay, this::check);
		}
	}

	private void check() {
		this.check = null;
		Duration timeout = timeout();
		if (this.readingPaused.getAsBoolean()) {
			scheduleCheck(timeout);
			return;
		}
		Duration silence = Duration.ofNanos(this.ticker.nanoTime() - this.lastActivity);
		if (silence.compareTo(timeout) >= 0) {
			this.onIdle.accept(ErrorInfo.idleTimeout("No activity from the server for " + silence.toMillis()
					+ " ms (maxIdleInterval " + this.maxIdleInterval.toMillis() + " ms + request timeout "
					+ this.requestTimeout.toMillis() + " ms)"));
		}
		else {
			scheduleCheck(timeout.minus(silence));
		}
	}

}

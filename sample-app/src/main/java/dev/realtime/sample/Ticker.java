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

import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes a counter on the {@code ticks} channel and subscribes to it, checking that
 * every tick comes back once and in order, whatever happens to the link, and reports the
 * counts every {@code sample.ticker.report-interval}.
 *
 * @author Realtime team
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.ticker.enabled", matchIfMissing = true)
class Ticker {

	private static final Log logger = LogFactory.getLog(Ticker.class);

	private final RealtimeChannel channel;

	private final AtomicLong next = new AtomicLong();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong outOfOrder = new AtomicLong();

	/** The highest tick received; only the subscriber's thread writes it. */
	private volatile long highest = -1;

	Ticker(RealtimeClient client) {
		this.channel = client.channel("ticks");
		this.channel.subscribe("tick", this::onTick);
		this.channel.attach();
	}

	@Scheduled(fixedDelayString = "${sample.ticker.interval:500ms}")
	void publish() {
		this.channel.publish("tick", this.next.getAndIncrement()).whenComplete((result, failure) -> {
			if (failure != null) {
				this.failed.incrementAndGet();
				logger.warn("Tick not acknowledged: " + failure.getCause().getMessage());
			}
			else {
				this.acknowledged.incrementAndGet();
			}
		});
	}

	private void onTick(Message message) {
		long tick = ((Number) message.data()).longValue();
		this.received.incrementAndGet();
		if (tick == this.highest) {
			this.duplicates.incrementAndGet();
		}
		else if (tick < this.highest) {
			this.outOfOrder.incrementAndGet();
		}
		this.highest = Math.max(this.highest, tick);
	}

	@Scheduled(initialDelayString = "${sample.ticker.report-interval:10s}",
			fixedDelayString = "${sample.ticker.report-interval:10s}")
	void report() {
		logger.info(counts());
	}

	Counts counts() {
		return new Counts(this.next.get(), this.acknowledged.get(), this.failed.get(), this.received.get(),
				this.duplicates.get(), this.outOfOrder.get());
	}

	record Counts(long published, long acknowledged, long failed, long received, long duplicates, long outOfOrder) {

		@Override
		public String toString() {
			return "Ticks: published " + this.published + " (acknowledged " + this.acknowledged + ", failed "
					+ this.failed + "), received " + this.received + ", duplicates " + this.duplicates
					+ ", out of order " + this.outOfOrder;
		}

	}

}

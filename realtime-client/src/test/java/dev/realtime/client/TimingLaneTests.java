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

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TimingLane}: timing listeners never run on the caller's thread.
 */
class TimingLaneTests {

	private final List<Runnable> tasks = new ArrayList<>();

	private final TimingLane lane = new TimingLane(this.tasks::add);

	private final List<String> heard = new ArrayList<>();

	@Test
	void samplesReachTheListenersInOrderInOneTaskPerBatch() {
		this.lane.add(new RecordingListener());
		this.lane.publishAcknowledged(1);
		this.lane.pingRoundTrip(2);
		this.lane.publishAcknowledged(3);
		assertThat(this.heard).as("nothing on the caller's thread").isEmpty();
		assertThat(this.tasks).hasSize(1);
		this.tasks.remove(0).run();
		assertThat(this.heard).containsExactly("ack 1", "ping 2", "ack 3");
		this.lane.publishAcknowledged(4);
		assertThat(this.tasks).as("a new batch once the last one was delivered").hasSize(1);
	}

	@Test
	void whileTheListenersAreBehindSamplesPastTheCapacityAreDroppedAndCounted() {
		this.lane.add(new RecordingListener());
		for (int i = 0; i < TimingLane.CAPACITY + 10; i++) {
			this.lane.publishAcknowledged(i);
		}
		assertThat(this.lane.dropped()).isEqualTo(10);
		this.tasks.remove(0).run();
		assertThat(this.heard).hasSize(TimingLane.CAPACITY).startsWith("ack 0").endsWith("ack 8191");
	}

	@Test
	void withoutListenersNothingIsScheduled() {
		this.lane.publishAcknowledged(1);
		assertThat(this.tasks).isEmpty();
	}

	@Test
	void aListenerThatThrowsDoesNotStopTheOthers() {
		this.lane.add(new ConnectionTimingListener() {
			@Override
			public void onPublishAcknowledged(long latencyNanos) {
				throw new IllegalStateException("broken listener");
			}
		});
		this.lane.add(new RecordingListener());
		this.lane.publishAcknowledged(1);
		this.tasks.remove(0).run();
		assertThat(this.heard).containsExactly("ack 1");
	}

	private final class RecordingListener implements ConnectionTimingListener {

		@Override
		public void onPublishAcknowledged(long latencyNanos) {
			TimingLaneTests.this.heard.add("ack " + latencyNanos);
		}

		@Override
		public void onPingRoundTrip(long roundTripNanos) {
			TimingLaneTests.this.heard.add("ping " + roundTripNanos);
		}

	}

}

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

package dev.realtime.benchmarks;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What one contender achieved in one benchmark, as its JVM reports it to the runner.
 *
 * @param benchmark the benchmark
 * @param contender the contender
 * @param complete whether it did all it was asked within the time limit
 * @param expected how many messages (or drops) it was asked for
 * @param done how many it got through: messages received or acknowledged, round trips or
 * reconnections measured
 * @param disconnects how often the connection was lost (DISCONNECTED transitions, or
 * closed sockets for the raw client); in the drop benchmark, beyond the drops themselves
 * @param elapsedNanos the time measured
 * @param rate messages per second, or {@code 0}
 * @param medianNanos the median latency, or {@code 0}
 * @param p99Nanos the 99th percentile latency, or {@code 0}
 * @param maxNanos the highest latency, or {@code 0}
 * @param resumed in the drop benchmark, how many reconnections kept the connection id
 * @param note what the server saw, or why the run failed
 * @param footprint in the connections benchmark, what the connections cost; otherwise
 * {@code null}
 * @param cpuNanos the CPU time the contender's JVM used, start-up included
 * @param otherLoad the share of the machine's CPU time that other processes (neither the
 * contender nor the server) took during the run, as the runner measured it
 */
public record Result(String benchmark, String contender, boolean complete, long expected, long done, int disconnects,
		long elapsedNanos, double rate, long medianNanos, long p99Nanos, long maxNanos, long resumed,
		@Nullable String note, @Nullable Footprint footprint, long cpuNanos, double otherLoad) {

	Result(String benchmark, String contender, boolean complete, long expected, long done, int disconnects,
			long elapsedNanos, double rate, long medianNanos, long p99Nanos, long maxNanos, long resumed,
			@Nullable String note) {
		this(benchmark, contender, complete, expected, done, disconnects, elapsedNanos, rate, medianNanos, p99Nanos,
				maxNanos, resumed, note, null, 0, 0);
	}

	static Result failed(String benchmark, String contender, Throwable failure) {
		return new Result(benchmark, contender, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, String.valueOf(failure));
	}

	Result withCpuNanos(long cpuNanos) {
		return new Result(this.benchmark, this.contender, this.complete, this.expected, this.done, this.disconnects,
				this.elapsedNanos, this.rate, this.medianNanos, this.p99Nanos, this.maxNanos, this.resumed, this.note,
				this.footprint, cpuNanos, this.otherLoad);
	}

	Result withOtherLoad(double otherLoad) {
		return new Result(this.benchmark, this.contender, this.complete, this.expected, this.done, this.disconnects,
				this.elapsedNanos, this.rate, this.medianNanos, this.p99Nanos, this.maxNanos, this.resumed, this.note,
				this.footprint, this.cpuNanos, otherLoad);
	}

	/**
	 * Return the value at the given percentile of sorted samples (nearest rank).
	 * @param sorted the samples, sorted
	 * @param count how many of them to consider
	 * @param percentile the percentile, 0 to 100
	 * @return the value, {@code 0} without samples
	 */
	static long percentile(long[] sorted, int count, double percentile) {
		if (count == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(percentile / 100 * count);
		return sorted[Math.max(0, Math.min(count, rank) - 1)];
	}

	static long[] sorted(long[] samples, int count) {
		long[] sorted = Arrays.copyOf(samples, count);
		Arrays.sort(sorted);
		return sorted;
	}

	/**
	 * What a number of connections held in one JVM cost it, measured after a full GC.
	 *
	 * @param connections how many clients there were (connected or not)
	 * @param threads the JVM's live threads with the connections open
	 * @param peakThreads the most live threads at any time
	 * @param heapPerConnection heap used after GC, less the baseline taken before the
	 * first client, per client, in bytes
	 * @param rssPerConnection the resident set size ({@code VmRSS}) less its baseline,
	 * per client, in bytes
	 * @param baselineThreads the live threads before the first client
	 * @param heldIdleSeconds how long the connections were then held idle before the
	 * second measurement, or {@code 0} if they were not
	 * @param idleThreads the JVM's live threads after the connections were held idle
	 * @param idleHeapPerConnection heap used after GC, less the baseline, per client,
	 * after the connections were held idle
	 */
	public record Footprint(int connections, int threads, int peakThreads, long heapPerConnection,
			long rssPerConnection, int baselineThreads, long heldIdleSeconds, int idleThreads,
			long idleHeapPerConnection) {
	}

}

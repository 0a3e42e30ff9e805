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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Samples how busy the machine's CPUs are, from {@code /proc/stat} (Linux).
 */
final class CpuUsage {

	private static final Path STAT = Path.of("/proc/stat");

	private CpuUsage() {
	}

	/**
	 * Return the fraction of CPU time spent busy, over all cores, during the given
	 * interval.
	 * @param interval how long to sample
	 * @return the fraction, 0 to 1, or {@code -1} where {@code /proc/stat} is not
	 * available
	 */
	static double busyFraction(Duration interval) {
		try {
			long[] before = sample();
			Thread.sleep(interval.toMillis());
			long[] after = sample();
			long total = after[0] - before[0];
			long idle = after[1] - before[1];
			return (total > 0) ? (double) (total - idle) / total : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * Take a snapshot of the CPU time of the whole machine and of one process.
	 * @param pid the process
	 * @return the snapshot, or {@code null} where {@code /proc} is not available
	 */
	static @Nullable Snapshot snapshot(long pid) {
		try {
			long[] system = sample();
			return new Snapshot(System.nanoTime(), system[0], system[1], processTicks(pid));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Return the share of the machine's CPU time between two snapshots that went to
	 * processes other than the one of the snapshots and a process that used the given CPU
	 * time in the meantime.
	 * @param before the first snapshot
	 * @param after the second snapshot
	 * @param otherKnownNanos the CPU time of another known process over the interval
	 * @return the share, 0 to 1
	 */
	static double othersShare(Snapshot before, Snapshot after, long otherKnownNanos) {
		long total = after.total() - before.total();
		if (total <= 0) {
			return 0;
		}
		long busy = total - (after.idle() - before.idle());
		long process = after.process() - before.process();
		double nanosPerTick = (double) (after.nanos() - before.nanos()) * Runtime.getRuntime().availableProcessors()
				/ total;
		double others = (busy - process) * nanosPerTick - otherKnownNanos;
		return Math.max(0, others / (total * nanosPerTick));
	}

	/**
	 * Return the user and system ticks a process used.
	 */
	private static long processTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// After the command: state is field 3; utime and stime are fields 14 and 15
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * CPU time counters at one moment.
	 *
	 * @param nanos when, in {@link System#nanoTime()}
	 * @param total all ticks of all CPUs
	 * @param idle idle, I/O wait and interrupt ticks of all CPUs
	 * @param process the ticks of one process
	 */
	record Snapshot(long nanos, long total, long idle, long process) {
	}

	/**
	 * Return the total and not-busy ticks of all CPUs. Not busy: idle, I/O wait, and
	 * interrupt handling, which on loopback is the benchmark's own network traffic and is
	 * not counted in any process's time. Guest time is already in user time.
	 */
	private static long[] sample() throws IOException {
		String line = Files.readAllLines(STAT).get(0);
		String[] fields = line.trim().split("\\s+");
		long[] ticks = new long[8];
		for (int i = 0; i < ticks.length && i + 1 < fields.length; i++) {
			ticks[i] = Long.parseLong(fields[i + 1]);
		}
		long total = 0;
		for (long tick : ticks) {
			total += tick;
		}
		// user nice system idle iowait irq softirq steal
		long notBusy = ticks[3] + ticks[4] + ticks[5] + ticks[6];
		return new long[] { total, notBusy };
	}

}

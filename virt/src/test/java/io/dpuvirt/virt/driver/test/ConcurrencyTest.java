package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.DomainFilter;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.host.LocalHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Different domains in parallel, one domain one operation at a time. */
class ConcurrencyTest {
    private static final int DOMAINS = 20;
    private static final int ROUNDS = 10;

    @TempDir
    Path root;

    private TestDriverFactory factory;
    private Driver driver;

    @BeforeEach
    void startDriver() throws Exception {
        factory = new TestDriverFactory(new DriverContext(root, new LocalHost()));
        factory.start();
        driver = factory.open(URI.create("test:///default"));
    }

    @AfterEach
    void closeDriver() {
        factory.close();
    }

    @Test
    void twentyDomainsGoThroughTheirLifecycleAtOnce() throws Exception {
        List<Callable<Set<Integer>>> lives = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < DOMAINS; i++) {
            String name = "vm" + i;
            lives.add(() -> {
                go.await();
                Set<Integer> ids = new HashSet<>();
                DomainRef domain = driver.define(TestDriverTest.guest(name), false);
                for (int round = 0; round < ROUNDS; round++) {
                    ids.add(driver.start(domain, false).id());
                    driver.suspend(domain);
                    driver.resume(domain);
                    assertThat(driver.status(domain)).isEqualTo(DomainStatus.of(StateReason.Running.UNPAUSED));
                    if (round % 2 == 0) {
                        driver.shutdown(domain);
                    } else {
                        driver.destroy(domain, false);
                    }
                }
                driver.undefine(domain, EnumSet.noneOf(UndefineOption.class));
                return ids;
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(DOMAINS)) {
            List<Future<Set<Integer>>> results = lives.stream().map(threads::submit).toList();
            go.countDown();
            Set<Integer> allIds = new HashSet<>();
            for (Future<Set<Integer>> result : results) {
                Set<Integer> ids = result.get();
                assertThat(ids).hasSize(ROUNDS);
                assertThat(allIds).doesNotContainAnyElementsOf(ids);
                allIds.addAll(ids);
            }
        }
        assertThat(driver.listDomains(DomainFilter.ALL)).extracting(DomainRef::name).containsExactly("test");
    }

    @Test
    void ofManyStartsOfOneDomainExactlyOneWins() throws Exception {
        DomainRef k1 = driver.define(TestDriverTest.guest("k1"), false);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Boolean>> starts = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            starts.add(() -> {
                go.await();
                try {
                    driver.start(k1, false);
                    return true;
                } catch (DriverException e) {
                    assertThat(e.code()).isEqualTo(VirErrorCode.OPERATION_INVALID);
                    return false;
                }
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(DOMAINS)) {
            List<Future<Boolean>> results = starts.stream().map(threads::submit).toList();
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        }
    }

    @Test
    void ofManyDefinitionsOfOneNameExactlyOneWins() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Boolean>> defines = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            defines.add(() -> {
                go.await();
                try {
                    driver.define(TestDriverTest.guest("same"), false); // each with a fresh random UUID
                    return true;
                } catch (DriverException e) {
                    assertThat(e.getMessage()).startsWith("operation failed: domain 'same' already exists with uuid ");
                    return false;
                }
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(DOMAINS)) {
            List<Future<Boolean>> results = defines.stream().map(threads::submit).toList();
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        }
    }
}

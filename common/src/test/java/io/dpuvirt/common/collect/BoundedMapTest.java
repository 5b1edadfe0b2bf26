package io.dpuvirt.common.collect;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedMapTest {
    @Test
    void theEntryPutFirstGoesWhateverWasRead() {
        Map<String, Integer> map = BoundedMap.eldestGoes(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("b", "c");
    }

    @Test
    void theEntryUsedLeastRecentlyGoes() {
        Map<String, Integer> map = BoundedMap.leastRecentlyUsedGoes(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a");
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("a", "c");
    }
}

package io.hookline.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void anAnswerPastItsMaximumIsRefused() {
        AnswerBudget b = new AnswerMemory(100 * MIB, 2 * MIB).newBudget();
        b.charge(MIB);
        b.charge(MIB);
        assertThatThrownBy(() -> b.charge(1)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).errorId()).isEqualTo(ErrorId.TOO_MANY_RESULTS);
    }

    @Test
    void largeAnswersShareTheMemoryAndSmallOnesNeverWaitOnThem() {
        AnswerMemory memory = new AnswerMemory(3 * MIB, 10 * MIB);
        AnswerBudget large = memory.newBudget();
        large.charge(AnswerMemory.FREE_BYTES + 3 * MIB);
        assertThat(memory.reserved()).isEqualTo(3 * MIB);

        AnswerBudget other = memory.newBudget();
        other.charge(AnswerMemory.FREE_BYTES); // within its own allowance: no shared memory needed
        assertThatThrownBy(() -> other.charge(1)).isInstanceOf(ApiException.class)
                .hasMessageContaining("other large requests");

        large.release();
        assertThat(memory.reserved()).isZero();
        AnswerBudget next = memory.newBudget();
        next.charge(AnswerMemory.FREE_BYTES + MIB);
        assertThat(memory.reserved()).isEqualTo(MIB);
    }

    @Test
    void aRewoundCallGivesItsBytesBackToTheAnswer() {
        AnswerBudget b = new AnswerMemory(100 * MIB, 2 * MIB).newBudget();
        b.charge(MIB);
        long mark = b.mark();
        assertThatThrownBy(() -> b.charge(2 * MIB)).isInstanceOf(ApiException.class);
        b.rewind(mark);
        b.charge(MIB);
        assertThat(b.mark()).isEqualTo(2 * MIB);
    }
}

package dev.freshet.web.api;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.OperationTimeoutException;
import jakarta.ejb.EJBException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures the API answers as a grid that passes (503), not as a node that failed (500). */
class ProblemMapperTest {
    @Test
    void aGridCallRefusedAfterAPauseIsAGridFailureAsItArrivesFromABean() {
        // what a member's first calls after a pause get: its cluster clock lags, the owner rejects them as too old
        OperationTimeoutException refused = new OperationTimeoutException("QueryPartitionOperation got rejected "
                + "before execution due to not starting within the operation-call-timeout of: 4000 ms");
        assertThat(ProblemMapper.gridFailure(refused)).isTrue();
        assertThat(ProblemMapper.gridFailure(new EJBException(refused))).isTrue();
        assertThat(ProblemMapper.gridFailure(new IllegalStateException("wrapped", refused))).isTrue();
    }

    @Test
    void aGridThatStopsOrLosesTheMemberOfACallIsAGridFailure() {
        // neither is a HazelcastException: one is an IllegalStateException, the other an ExecutionException
        assertThat(ProblemMapper.gridFailure(new EJBException(new HazelcastInstanceNotActiveException()))).isTrue();
        assertThat(ProblemMapper.gridFailure(new MemberLeftException("member left"))).isTrue();
    }

    @Test
    void aFailureOfTheNodesOwnCodeIsNot() {
        assertThat(ProblemMapper.gridFailure(new IllegalStateException("a bug"))).isFalse();
        assertThat(ProblemMapper.gridFailure(new EJBException(new NullPointerException()))).isFalse();
    }
}

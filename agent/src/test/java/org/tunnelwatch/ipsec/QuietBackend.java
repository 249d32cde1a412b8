package org.tunnelwatch.ipsec;

import java.util.List;
import java.util.Optional;

/**
 * A daemon for tests of pure logic: no SAs, and every repair does nothing and succeeds. Fakes
 * override only what their test looks at (the answers, or the calls they record).
 */
public class QuietBackend implements IpsecBackend {

  @Override
  public List<IkeSa> listSas() throws BackendException {
    return List.of();
  }

  @Override
  public void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) throws BackendException {}

  @Override
  public void restartIke(String ike, String child) throws BackendException {}

  @Override
  public void rekeyIke(String ike) throws BackendException {}

  @Override
  public void reauthIke(String ike, String child) throws BackendException {}

  @Override
  public void rekeyChild(String ike, String child) throws BackendException {}

  @Override
  public void terminateChild(String ike, String child) throws BackendException {}

  @Override
  public void restartService() throws BackendException {}

  @Override
  public String name() {
    return "quiet";
  }
}

import io.dpuvirt.common.linux.ProcessStat;
public class Exp2 {
  public static void main(String[] a) throws Exception {
    int pid = Integer.parseInt(a[0]);
    var st = ProcessStat.read(pid);
    System.out.println("read(" + pid + ") = " + st);
    System.out.println("groupHasLiveMembers(pgid of it) = " + ProcessStat.groupHasLiveMembers(Integer.parseInt(a[1])));
    try { java.nio.file.Files.readString(java.nio.file.Path.of("/proc/"+pid+"/stat")); } catch (Exception e) { System.out.println("readString: " + e); }
  }
}

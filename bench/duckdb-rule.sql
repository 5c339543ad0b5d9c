-- The Sentinel "DCOM Lateral Movement" rule as DuckDB SQL, for the detection benchmark's baseline.
WITH rpc AS (
  SELECT time_bucket(INTERVAL 5 SECOND, ts) AS TimestampNetwEvent, ts AS TimestampNetwEventExact, DeviceId, DeviceName,
         InitiatingProcessId AS RPCHostID, LocalIP, RemoteIP
  FROM net
  WHERE lower(InitiatingProcessFileName) = 'svchost.exe' AND regexp_matches(lower(InitiatingProcessCommandLine), '(^|[^a-z0-9])rpcss([^a-z0-9]|$)')
    AND LocalPort = 135 AND lower(LocalIP) <> lower(RemoteIP) AND ActionType <> 'ListeningConnectionCreated'),
dcom AS (
  SELECT time_bucket(INTERVAL 5 SECOND, ts) AS TimestampProcEvent, ts AS TimestampProcEventExact, DeviceId AS DcomDeviceId,
         InitiatingProcessId AS DCOMHostPID, ProcessId AS DCOMPID, FileName AS DCOMFileName, ProcessCommandLine AS DCOMCmdLine
  FROM proc
  WHERE lower(InitiatingProcessFileName) = 'svchost.exe' AND regexp_matches(lower(InitiatingProcessCommandLine), '(^|[^a-z0-9])dcomlaunch([^a-z0-9]|$)')),
boot AS (SELECT DeviceId AS BootDeviceId, max(ts) AS LastBootTime FROM proc WHERE lower(FileName) = 'services.exe' GROUP BY DeviceId),
remote AS (
  SELECT * FROM rpc JOIN dcom ON rpc.DeviceId = dcom.DcomDeviceId LEFT JOIN boot ON rpc.DeviceId = boot.BootDeviceId
  WHERE TimestampProcEvent > LastBootTime + INTERVAL 5 MINUTE
    AND epoch(date_trunc('second', TimestampProcEventExact)) - epoch(date_trunc('second', TimestampNetwEventExact)) BETWEEN 0 AND 2
    AND lower(DCOMFileName) NOT IN ('tiworker.exe', 'dllhost.exe', 'backgroundtaskhost.exe', 'mobsync.exe', 'wmiprvse.exe', 'runtimebroker.exe',
      'smartscreen.exe', 'sppextcomobj.exe', 'usocoreworker.exe', 'browser_broker.exe', 'ssoncom.exe'))
SELECT r.TimestampNetwEventExact, r.TimestampProcEventExact, r.DeviceId, r.DeviceName, p.InitiatingProcessId, r.LocalIP, r.RemoteIP,
       r.LastBootTime, r.DCOMCmdLine, list_sort(list_distinct(list(p.ProcessCommandLine))) AS set_ProcessCommandLine
FROM remote r JOIN proc p ON r.DCOMHostPID = p.InitiatingProcessParentId AND r.DeviceId = p.DeviceId AND r.DCOMPID = p.InitiatingProcessId
WHERE lower(p.InitiatingProcessParentFileName) = 'svchost.exe' AND p.InitiatingProcessFileName IN (SELECT DCOMFileName FROM remote)
  AND lower(p.InitiatingProcessFileName) = lower(r.DCOMFileName) AND lower(p.FileName) <> 'csc.exe'
GROUP BY ALL;

import type { DatasetDefinition } from './types.js';

const vod: DatasetDefinition = {
  name: 'vod',
  description: 'One hour of the KTH video-on-demand testbed: predict the client frame rate from 12 server sar statistics (the paper\'s VoD task).',
  file: 'kth_vod_periodic3600.csv',
  task: 'regression',
  target: 'DispFrames',
  numeric: ['runq-sz', '%%memused', 'proc/s', 'cswch/s', 'all_%%usr', 'ldavg-1', 'totsck', 'pgfree/s', 'plist-sz', 'file-nr', 'idel/s', 'tps'],
  categorical: [],
  never: ['TimeStamp'],
  missing: [],
  // Neighbouring seconds are nearly identical, so a row-level split would leak; whole minutes go to one split.
  split: { kind: 'time-blocks', orderBy: 'TimeStamp', blockRows: 60 },
};

const servicemesh: DatasetDefinition = {
  name: 'servicemesh',
  description: 'KTH Kubernetes/Istio service-mesh testbed: predict response time d11 from routing weights, blocking and load (stands in for the paper\'s KVS task).',
  file: 'kth_servicemesh_cnsm2022.csv.gz',
  task: 'regression',
  target: 'd11',
  numeric: ['p11', 'p21', 'b1', 'b2', 'l1', 'l2', 'cl1', 'cl2'],
  categorical: [],
  never: ['d12', 'd21', 'd22', 'drop1', 'drop2'],
  missing: [],
  split: { kind: 'random' },
};

const rss: DatasetDefinition = {
  name: 'rss',
  description: 'Cork 5G production traces: predict received signal power RSRP (dBm) from radio quality, throughput, speed, position and network mode (the paper\'s RSS task).',
  file: 'cork5g_production2020_merged.csv.gz',
  task: 'regression',
  target: 'RSRP',
  numeric: ['RSRQ', 'SNR', 'CQI', 'RSSI', 'Speed', 'DL_bitrate', 'UL_bitrate', 'Longitude', 'Latitude'],
  categorical: ['NetworkMode', 'mobility', 'app'],
  never: [
    'content', 'trace', 'Timestamp', 'Operatorname', 'CellID', 'State',
    'PINGAVG', 'PINGMIN', 'PINGMAX', 'PINGSTDEV', 'PINGLOSS',
    'CELLHEX', 'NODEHEX', 'LACHEX', 'RAWCELLID', 'NRxRSRP', 'NRxRSRQ',
  ],
  missing: ['-'],
  // -200 is the logger's "no reading" sentinel, not a signal level.
  dropTargetValues: ['-200'],
  split: { kind: 'random' },
};

const qoe: DatasetDefinition = {
  name: 'qoe',
  description: 'ITU-T P.1203 subjective ratings: predict a viewer\'s 1-5 rating of a streamed clip from its bitrate, resolution, frame rate and stalling (the paper\'s QoE task).',
  file: 'p1203_qoe_ratings6147.csv',
  task: 'classification',
  target: 'rating',
  numeric: [
    'duration_s', 'bitrate_mean', 'bitrate_min', 'bitrate_max', 'bitrate_std', 'coding_res_mean', 'coding_res_min',
    'framerate_mean', 'framerate_min', 'quality_switches', 'initial_loading_s', 'stall_count', 'stall_total_s', 'context_mobile',
  ],
  categorical: [],
  never: ['mos', 'subject', 'pvs_id', 'database'],
  missing: [],
  // About 39 subjects rated each clip; with one clip in train and test a model could memorise its rating distribution.
  split: { kind: 'grouped', groupBy: 'pvs_id' },
};

const qoeYoutube: DatasetDefinition = {
  name: 'qoe-youtube',
  description: 'YouTube sessions under shaped bandwidth (IFIP Networking 2016): predict whether playback stalled from the shaping rate and the video\'s bitrate profile (a second QoE task).',
  file: 'youtube_ifip2016_qoe.csv.gz',
  task: 'classification',
  target: 'pl_buffering_boolean',
  numeric: [
    'net_avg_shaping_rate',
    'br_avg_i133', 'br_avg_i134', 'br_avg_i135', 'br_avg_i136', 'br_avg_i160',
    'br_avg_norm_i133', 'br_avg_norm_i134', 'br_avg_norm_i135', 'br_avg_norm_i136', 'br_avg_norm_i160',
    'br_std_i133', 'br_std_i134', 'br_std_i135', 'br_std_i136', 'br_std_i160',
    'br_distance_metric', 'br_distance_metric2', 'br_non_monoton',
    'vid_length', 'vid_rnd_std',
  ],
  categorical: ['vid_category'],
  // Everything else in the file: playback outcomes (pl_*, net_dl_total, net_played_bytes), keys, dates and run bookkeeping.
  never: [
    'pl_assumed_switches', 'pl_avg_assumed_quality_ql', 'pl_avg_pl_quality_ql',
    'pl_avg_req_itag133_sec', 'pl_avg_req_itag133_size', 'pl_avg_req_itag134_sec', 'pl_avg_req_itag134_size',
    'pl_avg_req_itag135_sec', 'pl_avg_req_itag135_size', 'pl_avg_req_itag136_sec', 'pl_avg_req_itag136_size',
    'pl_avg_req_itag160_sec', 'pl_avg_req_itag160_size', 'pl_avg_req_size', 'pl_avg_req_size_sec',
    'pl_buffering_events', 'pl_detected', 'pl_estimated_switches', 'pl_guessed_switches', 'pl_norm_buf_events',
    'pl_norm_est_switches', 'pl_switches_boolean',
    'pl_time_spent_itag133', 'pl_time_spent_itag134', 'pl_time_spent_itag135', 'pl_time_spent_itag136', 'pl_time_spent_itag160',
    'pl_time_spent_norm_itag133', 'pl_time_spent_norm_itag134', 'pl_time_spent_norm_itag135', 'pl_time_spent_norm_itag136',
    'pl_time_spent_norm_itag160', 'pl_version', 'pl_version_id',
    'net_dl_total', 'net_played_bytes', 'vid_category_id', 'yt_id', 'content_id',
    'run_id', 'run_id_nr', 'run_date', 'run_start', 'run_length', 'run_length_ratio', 'run_overlength',
    'rnd_traffic', 'rnd_traffic_boolean', 'rnd_traffic_bytes', 'rnd_traffic_sec',
    'hbm1', 'hbm2', 'hbm3', 'hbm4', 'gain_possible_ql', 'gain_ql_diff', 'gain_ql_diff_perc',
  ],
  missing: [],
  split: { kind: 'stratified' },
};

const churn: DatasetDefinition = {
  name: 'churn',
  description: 'IBM Telco customer churn (R modeldata): predict whether a customer leaves from contract, services and charges (an extra telecom task).',
  file: 'modeldata_wa_churn.csv.gz',
  task: 'classification',
  target: 'churn',
  numeric: ['female', 'senior_citizen', 'partner', 'dependents', 'tenure', 'phone_service', 'paperless_billing', 'monthly_charges', 'total_charges'],
  categorical: [
    'multiple_lines', 'internet_service', 'online_security', 'online_backup', 'device_protection',
    'tech_support', 'streaming_tv', 'streaming_movies', 'contract', 'payment_method',
  ],
  never: [],
  missing: ['NA'],
  split: { kind: 'stratified' },
};

const covertype: DatasetDefinition = {
  name: 'covertype',
  description: 'A 92,962-row min-max-scaled subset of UCI Covertype: predict one of 7 forest cover types from terrain and soil (the paper\'s Covertype task).',
  file: 'covertype_uci_subset92962_minmax.csv.gz',
  task: 'classification',
  target: 'Cover_Type',
  numeric: [
    'Elevation', 'Aspect', 'Slope', 'Horizontal_Distance_To_Hydrology', 'Vertical_Distance_To_Hydrology',
    'Horizontal_Distance_To_Roadways', 'Hillshade_9am', 'Hillshade_Noon', 'Hillshade_3pm', 'Horizontal_Distance_To_Fire_Points',
    ...Array.from({ length: 4 }, (_, i) => `Wilderness_Area${i + 1}`),
    ...Array.from({ length: 40 }, (_, i) => `Soil_Type${i + 1}`),
  ],
  categorical: [],
  never: [],
  missing: [],
  split: { kind: 'stratified' },
};

const higgs: DatasetDefinition = {
  name: 'higgs',
  description: 'A 10,984-row subset of UCI HIGGS: tell Higgs-boson signal from background using 21 low-level and 7 high-level kinematic features (the paper\'s Higgs task).',
  file: 'higgs_uci_subset10984.csv.gz',
  task: 'classification',
  target: 'label',
  numeric: [
    'lepton_pT', 'lepton_eta', 'lepton_phi', 'missing_energy_magnitude', 'missing_energy_phi',
    ...[1, 2, 3, 4].flatMap((j) => ['pt', 'eta', 'phi', 'btag'].map((v) => `jet_${j}_${v}`)),
    'm_jj', 'm_jjj', 'm_lv', 'm_jlv', 'm_bb', 'm_wbb', 'm_wwbb',
  ],
  categorical: [],
  never: [],
  missing: [],
  split: { kind: 'stratified' },
};

/** The built-in datasets, in the order they are listed. */
export const builtinDatasets: readonly DatasetDefinition[] = [vod, servicemesh, rss, qoe, qoeYoutube, churn, covertype, higgs];

// Data tables for the sample cluster. Rows are written compactly: '|'
// separates alternatives and '=' separates the Korean and English side of a
// term ("알루미늄 6061=aluminium 6061"). BuildVocabulary() turns the rows into
// SampleVocabulary once and records any inconsistency in `errors`, which the
// tests require to be empty.
#include "engine/sample_vocabulary.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "engine/str_concat.h"

namespace clustermatch {
namespace {

struct CapabilityRow {
  const char* key;
  const char* label;  // "ko=en"
  const char* offers_ko;
  const char* offers_en;
  const char* needs_ko;
  const char* needs_en;
};

// clang-format off
constexpr CapabilityRow kCapabilityRows[] = {
  // Manufacturing (IMT).
  {"cnc_machining", "CNC 정밀가공=CNC machining",
   "알루미늄 부품 CNC 정밀가공|CNC 밀링·선반 정밀가공|5축 가공 (알루미늄·스테인리스 부품)",
   "CNC machining of aluminium parts|precision CNC milling and turning|5-axis machining of aluminium and stainless steel parts",
   "알루미늄 하우징 가공 협력업체 구함|시제품 정밀가공 업체 필요|기구부품 가공 외주처 찾음",
   "looking for a partner to machine aluminium housings|prototype machining partner wanted|supplier for machined mechanical parts"},
  {"sheet_metal", "판금·레이저 가공=sheet metal fabrication",
   "판금 및 레이저 절단 가공|스테인리스 판금·절곡·용접|제어반 외함 판금 제작",
   "sheet metal fabrication and laser cutting|stainless steel bending and welding|sheet metal enclosures for control panels",
   "장비 외함·브라켓 제작 업체 구함|충전기 케이스 판금 협력사 필요",
   "partner to fabricate enclosures and brackets|metal cabinet maker for our equipment"},
  {"injection_moulding", "사출성형=injection moulding",
   "플라스틱 사출성형|ABS·PC 소량 다품종 사출 생산|정밀 플라스틱 사출 및 조립",
   "plastic injection moulding|ABS and PC injection moulding in small to mid volumes|precision plastic moulding and assembly",
   "플라스틱 케이스 사출 업체 구함|제품 외관 커버 사출 협력사 필요",
   "looking for an injection moulder for plastic housings|moulded plastic covers for our device"},
  {"mould_making", "금형 설계·제작=mould making",
   "사출 금형 설계·제작|프레스 금형 제작 및 수리",
   "injection mould design and manufacturing|press die making and repair",
   "신제품 금형 제작 업체 구함|금형 수정·보수 가능한 곳 찾음",
   "mould maker for a new plastic part|someone to repair and modify our dies"},
  {"factory_automation", "공장자동화=factory automation",
   "공장자동화 설비 및 로봇 셀 제작|자동 조립라인 설계·제작|협동로봇 시스템 통합",
   "factory automation equipment and robot cells|design and build of automated assembly lines|collaborative robot system integration",
   "수작업 조립공정 자동화 업체 찾음|포장라인 로봇 도입 파트너 필요",
   "automating our manual assembly process|robot integrator for a packaging line"},
  {"pcb_assembly", "PCB 조립(SMT)=PCB assembly",
   "PCB SMT 조립 위탁생산|소량 PCB 실장 및 검사",
   "contract PCB assembly (SMT)|small-batch SMT assembly and board testing",
   "회로기판 조립 외주처 구함|시제품 PCB 실장 업체 필요",
   "partner to assemble our circuit boards|board assembly for a prototype run"},
  {"electronics_design", "전자회로 설계=electronic circuit design",
   "전자회로 및 PCB 아트웍 설계|임베디드 하드웨어 설계",
   "electronic circuit and PCB layout design|embedded hardware design",
   "제어보드 회로 설계 협력사 찾음|하드웨어 설계 인력 지원 필요",
   "hardware team to design our control board|circuit designer for a sensor module"},
  {"pilot_site", "현장 실증=pilot factory testing",
   "스마트공장 솔루션 실증 현장 제공|생산라인 실증 테스트 협조|자사 공장을 테스트베드로 개방",
   "our factory as a pilot site for smart factory solutions|production line available for field testing",
   "현장 실증을 위한 파일럿 공장 필요|솔루션 검증용 제조 현장 구함",
   "pilot factory for field testing|manufacturing site to validate our software"},
  {"field_data", "현장 데이터=field data",
   "연구·실증용 공정 데이터 제공|설비 센서 데이터 공유",
   "sharing production data for research|equipment sensor data for AI training",
   "AI 학습용 현장 데이터 확보 필요|실제 생산라인 데이터 구함",
   "field data from real production lines|labelled defect images for model training"},
  {"quality_inspection", "정밀측정·품질검사=precision inspection",
   "3차원 측정(CMM) 및 품질검사|정밀 치수 측정 대행",
   "3D measurement (CMM) and quality inspection|dimensional inspection service",
   "가공품 치수 검사 의뢰처 필요|출하 전 품질 측정 지원 구함",
   "inspection of machined part dimensions|third-party quality check before shipment"},
  {"mass_production", "OEM 양산=OEM mass production",
   "OEM 위탁생산 및 조립|소형 전자기기 양산 조립",
   "OEM contract manufacturing and assembly|volume assembly of small electronic devices",
   "개발 완료 제품 양산 업체 구함|굿즈·완제품 생산 협력사 필요",
   "manufacturer to mass-produce our device|production partner for finished goods"},
  // Software and data (ICT).
  {"mes_software", "스마트공장 MES=smart factory MES software",
   "MES 생산관리 및 모니터링 소프트웨어|스마트공장 MES 구축|생산 실적·불량 관리 솔루션",
   "MES and production monitoring software|smart factory MES implementation|production and defect tracking software",
   "스마트공장 MES 도입 희망|실시간 생산현황 관리 시스템 필요",
   "smart factory MES software|software to track production in real time"},
  {"vision_inspection", "AI 비전검사=AI vision inspection",
   "AI 비전 불량검사 솔루션|머신비전 검사 시스템 구축",
   "AI vision inspection for defect detection|machine vision inspection systems",
   "제품 외관 검사 자동화 필요|라인 불량 자동 검출 솔루션 찾음",
   "automated visual inspection of our products|camera-based defect detection on the line"},
  {"iot_platform", "산업용 IoT=industrial IoT",
   "IoT 센서 플랫폼 및 원격 모니터링|산업용 IoT 게이트웨이·클라우드 대시보드",
   "IoT sensor platform and remote monitoring|industrial IoT gateway and cloud dashboard",
   "설비 원격 모니터링 구축 필요|장비 데이터 클라우드 연동 희망",
   "remote monitoring of our equipment|connecting our machines to the cloud"},
  {"embedded_firmware", "임베디드 펌웨어=embedded firmware",
   "임베디드 펌웨어 개발 (ARM·RTOS)|센서·컨트롤러 펌웨어 개발",
   "embedded firmware development (ARM, RTOS)|firmware for sensors and controllers",
   "제어보드 펌웨어 개발 협력사 구함|신제품 임베디드 SW 개발 파트너 필요",
   "firmware developer for our controller board|embedded software partner for a new device"},
  {"app_development", "웹·앱 개발=app development",
   "웹·모바일 앱 개발|iOS·안드로이드 앱 개발 외주",
   "web and mobile app development|iOS and Android app development",
   "제품 연동 모바일 앱 개발 필요|서비스 웹 플랫폼 개발사 구함",
   "mobile app for our product users|developer for our web service"},
  {"cloud_infra", "클라우드 인프라=cloud infrastructure",
   "클라우드 전환 및 서버 운영|AWS·네이버클라우드 관리형 호스팅",
   "cloud migration and server operations|managed hosting on AWS and Naver Cloud",
   "서버 클라우드 이전 지원 필요|온라인 서비스 안정적 호스팅 필요",
   "moving our servers to the cloud|reliable hosting for an online service"},
  {"data_analytics", "빅데이터·AI 분석=big data analytics",
   "빅데이터 분석 및 AI 모델링|데이터 분석·수요예측 서비스",
   "big data analytics and AI modelling|data analysis and demand forecasting",
   "설비 고장 예측 AI 모델 필요|판매·생산 데이터 분석 지원 필요",
   "AI model to predict equipment failures|analysing our sales and production data"},
  {"security", "정보보안=information security",
   "정보보안 컨설팅 및 ISMS 인증 지원|모의해킹·취약점 진단",
   "information security consulting and ISMS certification support|penetration testing and vulnerability assessment",
   "서비스 오픈 전 보안 점검 필요|개인정보보호 인증 대응 지원 구함",
   "security audit before our service launch|help with data protection certification"},
  {"lms_platform", "LMS 학습플랫폼=LMS learning platform",
   "LMS 학습관리시스템 플랫폼|이러닝 플랫폼 구축·운영",
   "learning management system (LMS) platform|e-learning platform development and hosting",
   "온라인 강의 서비스 플랫폼 필요|교육 콘텐츠 유통용 학습 사이트 구축 희망",
   "platform to deliver our online courses|website to sell and stream our lectures"},
  // Digital content (DC).
  {"game_dev", "게임 개발=game development",
   "모바일 게임 개발|캐주얼·미드코어 게임 개발|유니티 기반 게임 제작",
   "mobile game development|casual and mid-core game development|Unity game production",
   "브랜드 홍보용 게임 제작사 구함|게이미피케이션 콘텐츠 개발 필요",
   "game studio to build a branded game|gamified content for our app"},
  {"animation", "애니메이션 제작=animation production",
   "3D 애니메이션 제작|2D·3D 캐릭터 애니메이션",
   "3D animation production|2D and 3D character animation",
   "제품 홍보 애니메이션 영상 제작 필요|시리즈 캐릭터 애니메이션 제작사 구함",
   "animated explainer video for our product|animation studio for a character series"},
  {"vr_content", "VR·AR 실감 콘텐츠=VR/AR immersive content",
   "VR·AR 실감형 콘텐츠 제작|메타버스·XR 콘텐츠 개발",
   "VR/AR immersive content production|metaverse and XR content development",
   "작업자 VR 안전교육 콘텐츠 필요|전시 부스용 실감 콘텐츠 제작사 찾음",
   "VR safety training simulator for our workers|immersive content for our exhibition booth"},
  {"edu_content", "교육 콘텐츠=education content",
   "온라인 교육 콘텐츠 제작|이러닝 교안·강의 영상 제작",
   "online education content production|e-learning courseware and video lectures",
   "직원 교육용 이러닝 과정 개발 필요|학습앱에 들어갈 교육 콘텐츠 파트너 구함",
   "courseware for training our staff|education content partner for a learning app"},
  {"video_production", "영상 제작=video production",
   "기업·제품 홍보영상 제작|홍보 영상 촬영 및 편집",
   "corporate and product video production|promotional video shooting and editing",
   "전시회용 제품 소개 영상 필요|회사 소개 영상 만들어 줄 곳 찾음",
   "product introduction video for a trade show|company profile video"},
  {"localisation", "현지화·번역=localisation",
   "게임·콘텐츠 현지화 번역 (일본어·영어·베트남어)|다국어 더빙 및 자막 제작",
   "game and content localisation (Japanese, English, Vietnamese)|multilingual dubbing and subtitling",
   "해외 출시용 번역·현지화 업체 필요|일본어 더빙 가능한 협력사 구함",
   "translating our game for overseas players|Japanese voice-over for our animation"},
  {"product_design", "제품·UX 디자인=product design",
   "제품 디자인 및 UX 설계|산업디자인·목업 제작",
   "product and UX design|industrial design and mock-ups",
   "신제품 외관 디자인 업체 구함|앱 화면 UX 개선 필요",
   "designer for a new product's look and packaging|improving the UX of our app screens"},
  {"art_outsourcing", "3D 모델링·아트=3D game art",
   "3D 모델링·게임 아트 외주|캐릭터·배경 원화 제작",
   "3D modelling and game art outsourcing|character and background concept art",
   "게임 캐릭터·배경 아트 외주처 구함|3D 에셋 제작 인력 필요",
   "3D artists for game characters and backgrounds|extra art capacity for our game assets"},
  {"ip_licensing", "캐릭터 IP 라이선싱=character IP licensing",
   "캐릭터 IP 라이선싱 및 MD 사업|캐릭터 상품화 기획",
   "character IP licensing and merchandising|character merchandise planning",
   "보유 캐릭터 상품화 파트너 구함|캐릭터 라이선스 판매처 찾음",
   "licensing partner for our characters|merchandise partner for our animation IP"},
  // Energy and environment (Green IT).
  {"energy_management", "에너지관리(FEMS·BEMS)=energy management (FEMS/BEMS)",
   "공장 에너지관리시스템(FEMS) 구축|건물 에너지 모니터링·절감(BEMS)",
   "factory energy management system (FEMS)|building energy monitoring and savings (BEMS)",
   "공장 전기요금 절감 방안 필요|사옥 에너지 사용량 모니터링 필요",
   "cutting electricity costs in our plant|monitoring energy use in our building"},
  {"solar_ess", "태양광·ESS=solar ESS systems",
   "지붕형 태양광·ESS 설치|에너지저장장치(ESS) 시스템 통합",
   "rooftop solar and ESS installation|energy storage system integration",
   "공장 지붕 태양광 설치 희망|비상전원용 ESS 도입 검토",
   "solar power for our factory roof|backup energy storage for our site"},
  {"battery_pack", "배터리팩=battery packs",
   "리튬이온 배터리팩 조립|배터리팩 BMS 설계",
   "lithium-ion battery pack assembly|BMS design for battery packs",
   "휴대형 장비용 배터리팩 공급처 구함|배터리 관리 회로 설계 협력 필요",
   "battery supplier for a portable device|battery management partner for our e-mobility product"},
  {"led_lighting", "스마트 LED 조명=smart LED lighting",
   "스마트 LED 조명 및 제어|산업용 LED 조명 교체 시공",
   "smart LED lighting and controls|industrial LED retrofit",
   "공장 조명 LED 교체 필요|사무실 조명 자동제어 도입 희망",
   "replacing our factory lighting with efficient LEDs|automatic lighting control for our offices"},
  {"carbon_accounting", "탄소·ESG 컨설팅=ESG consulting",
   "탄소발자국 산정 및 ESG 보고서 작성|온실가스 인벤토리 컨설팅",
   "carbon footprint assessment and ESG reporting|greenhouse gas inventory consulting",
   "수출 고객사 탄소 데이터 요구 대응 필요|ESG 대응 컨설팅 구함",
   "help with carbon data requested by export customers|ESG readiness support"},
  {"ev_charging", "전기차 충전기=EV charging",
   "전기차 충전기 제조·설치|완속·급속 충전기 유지보수",
   "EV charger manufacturing and installation|maintenance of AC and DC chargers",
   "사업장 전기차 충전기 설치 필요|충전 인프라 구축 파트너 구함",
   "EV chargers for our parking lot|charging infrastructure partner for our sites"},
  {"recycling", "재활용=recycling",
   "폐배터리·전자폐기물 재활용|금속 스크랩 회수·재활용",
   "e-waste and battery recycling|metal scrap collection and recycling",
   "공정 폐기물 재활용 업체 찾음|폐배터리·스크랩 처리 업체 필요",
   "disposing of production scrap responsibly|collection of scrap metal and spent batteries"},
  // Planning and marketing, across mini-clusters.
  {"overseas_sales", "해외 판로=overseas sales",
   "일본·동남아 수출 대행|해외 유통망 및 바이어 네트워크",
   "export sales agency for Japan and Southeast Asia|overseas distribution and buyer network",
   "해외 판로 개척 파트너 구함|해외 바이어 발굴 필요",
   "distribution partner for overseas markets|finding buyers abroad"},
  {"digital_marketing", "온라인 마케팅=online marketing",
   "온라인 마케팅·SNS 광고 대행|앱·게임 퍼포먼스 마케팅",
   "online marketing and social media advertising|performance marketing for apps and games",
   "앱 홍보 마케팅 대행사 구함|온라인 브랜드 인지도 높일 방법 필요",
   "marketing agency to promote our app|growing our brand online"},
  {"game_publishing", "게임 퍼블리싱=game publishing",
   "게임 퍼블리싱 및 라이브 운영|해외 게임 퍼블리싱 (일본·동남아)",
   "game publishing and live operations|overseas game publishing (Japan, Southeast Asia)",
   "완성된 게임 퍼블리셔 찾음|출시 게임 운영 대행 필요",
   "publisher for our finished game|live-ops partner after launch"},
  {"product_planning", "제품 기획=product planning",
   "제품 기획 및 시장조사|신사업 기획 컨설팅",
   "product planning and market research|new business planning consulting",
   "신제품 시장조사 지원 필요|사업계획 수립 도움 구함",
   "market research before a product launch|help writing a business plan"},
  // Universities, institutes, support organisations and public bodies.
  {"joint_research", "산학 공동연구=joint research",
   "산학 공동연구|대학 연구실과 공동 R&D",
   "industry-academia joint research|joint R&D with university labs",
   "공동연구 대학 파트너 찾음|기술 애로 해결을 위한 연구실 필요",
   "university partner for joint research|research lab to solve a technical problem"},
  {"testing_certification", "시험·인증=certification testing",
   "테스트베드 및 인증시험 (EMC·신뢰성)|제품 신뢰성 시험·인증 지원",
   "test bed and certification testing (EMC, reliability)|product reliability testing and certification support",
   "인증 전 신뢰성 시험 필요|제품 EMC 시험 기관 구함",
   "reliability tests before certification|EMC test lab for our device"},
  {"equipment_sharing", "장비 공동활용=equipment sharing",
   "3D프린터·측정장비 공동활용|중소기업 장비 공동이용 지원",
   "shared use of 3D printers and measuring equipment|equipment sharing for SMEs",
   "고가 시험장비 이용 필요|시제품용 3D프린터 사용처 구함",
   "access to expensive test equipment|a 3D printer for prototype parts"},
  {"funding_programme", "지원사업=funding programmes",
   "중소기업 R&D·시제품 지원사업|정부 지원사업 안내 및 연계",
   "SME funding programmes for R&D and prototypes|guidance on government support programmes",
   "시제품 제작 자금 지원 필요|정부 지원사업 정보 구함",
   "funding for prototype development|government grants for our next product"},
  {"export_support", "수출 지원=export support",
   "해외 전시회 공동관 및 바이어 상담회|수출 초보기업 해외마케팅 지원",
   "trade show pavilions and buyer consultations|export marketing support for first-time exporters",
   "해외 전시회 참가 지원 필요|수출 바우처 활용 방법 문의",
   "joining an overseas trade show|support for our first export"},
  {"talent", "인력 연계=talent matching",
   "현장실습 학생 및 졸업생 채용 연계|재직자 기술교육 과정",
   "student interns and graduate hiring support|technical training for employees",
   "신입 엔지니어 채용 필요|현장실습생 채용 희망",
   "hiring junior engineers|interns for our development team"},
  {"tech_transfer", "기술이전=technology transfer",
   "기술이전 및 특허 라이선스|연구성과 기술이전 상담",
   "technology transfer and patent licensing|licensing of research results",
   "신사업용 이전 가능 기술 찾음|특허 기술 도입 희망",
   "licensed technology for a new product|patents to license for our next line"},
  {"rnd_consortium", "정부 R&D 과제=government R&D projects",
   "정부 R&D 과제 컨소시엄 참여|국가 R&D 과제 수행 경험",
   "participation in government R&D consortia|track record in national R&D projects",
   "R&D 과제 참여기업 모집|연구 컨소시엄 참여 기업 구함",
   "industry partners for an R&D call|firms to join a research consortium"},
  {"commercialisation", "기술 사업화=technology commercialisation",
   "신기술 제품화 및 사업화|연구성과 양산·상용화 연계",
   "turning new technology into products|productisation and market launch of lab technology",
   "보유 특허 사업화 파트너 구함|연구성과 상용화 기업 찾음",
   "commercialisation partner for our patents|company to turn research results into products"},
  {"public_testbed", "공공 실증=public test beds",
   "공공시설 실증 테스트베드 제공|스마트시티 실증 사이트 지원",
   "public facilities as test beds for new technology|smart city pilot sites",
   "공공 실증 사이트 필요|지자체 시범사업 참여 희망",
   "public site to pilot our solution|joining a municipal pilot project"},
};
// clang-format on

struct ArchetypeRow {
  const char* key;
  FirmKind kind;
  const char* mini_cluster;  // "" for any
  int weight;
  SampleNameStyle name_style;
  const char* industries;
  const char* name_suffixes;
  const char* technologies;
  const char* products;
  const char* materials;
  const char* markets;
  const char* offers;
  const char* needs;
  const char* core_roles;
  const char* optional_roles;
  int founded_min;
  int founded_max;
};

constexpr FirmKind kCo = FirmKind::kCompany;
constexpr SampleNameStyle kStem = SampleNameStyle::kStem;

// clang-format off
constexpr ArchetypeRow kArchetypeRows[] = {
  // IMT: machinery and manufacturing.
  {"cnc_shop", kCo, "IMT", 30, kStem, "C29 machinery|C25 fabricated metal products",
   "정밀=Precision|테크=Tech|기계=Machinery|정공=Precision Industries",
   "CNC 머시닝센터=CNC machining centre|5축 가공=5-axis machining|CAD/CAM=CAD/CAM|치공구 설계=jig and fixture design|정밀 연삭=precision grinding",
   "알루미늄 하우징=aluminium housings|정밀 샤프트=precision shafts|장비 기구부품=machine components|치공구=jigs and fixtures",
   "알루미늄 6061=aluminium 6061|스테인리스 SUS304=stainless steel SUS304|탄소강 S45C=carbon steel S45C|초경 절삭공구=carbide cutting tools|절삭유=cutting fluid",
   "Japan|Vietnam|USA|Germany|China",
   "cnc_machining|quality_inspection|pilot_site|field_data",
   "mes_software|vision_inspection|energy_management|overseas_sales|factory_automation|recycling|talent|equipment_sharing|export_support",
   "production", "development|marketing", 1985, 2021},
  {"injection_moulder", kCo, "IMT", 18, kStem, "C22 rubber and plastic products|C29 machinery",
   "산업=Industrial|플라텍=Platech|화학=Chemical|폴리머=Polymer",
   "사출성형=injection moulding|금형 설계=mould design|2색 사출=two-shot moulding|인서트 사출=insert moulding",
   "전자제품 외관 케이스=electronics housings|자동차 내장부품=automotive interior parts|의료기기 커버=medical device covers",
   "ABS 수지=ABS resin|PC 수지=polycarbonate resin|PP 수지=polypropylene resin|금형강 NAK80=mould steel NAK80",
   "Vietnam|China|Japan|Mexico",
   "injection_moulding|mould_making|pilot_site|field_data",
   "mes_software|vision_inspection|product_design|carbon_accounting|energy_management|solar_ess",
   "production", "development", 1985, 2020},
  {"automation_maker", kCo, "IMT", 16, kStem, "C29 machinery|C28 electrical equipment",
   "오토메이션=Automation|로보틱스=Robotics|엔지니어링=Engineering|시스템=Systems",
   "PLC 제어=PLC control|협동로봇=collaborative robots|서보모터 제어=servo motion control|공압 시스템=pneumatics",
   "자동 조립기=automatic assembly machines|로봇 셀=robot cells|검사 지그=test jigs",
   "알루미늄 프로파일=aluminium extrusion profiles|서보모터=servo motors|PLC 모듈=PLC modules|공압 부품=pneumatic components",
   "Vietnam|USA|China|Indonesia|India",
   "factory_automation|commercialisation|rnd_consortium",
   "vision_inspection|embedded_firmware|cnc_machining|sheet_metal|overseas_sales|testing_certification|joint_research",
   "development|production", "planning", 1990, 2020},
  {"pcb_ems", kCo, "IMT", 14, kStem, "C26 electronic components|C28 electrical equipment",
   "전자=Electronics|이엠에스=EMS|테크=Tech|일렉트릭=Electric",
   "SMT 실장=SMT placement|리플로우 솔더링=reflow soldering|AOI 검사=AOI inspection|회로 설계=circuit design",
   "PCB 어셈블리=PCB assemblies|컨트롤러 보드=controller boards|센서 모듈=sensor modules",
   "FR-4 PCB 기판=PCB substrates FR-4|솔더 페이스트=solder paste|MLCC 수동소자=passive components (MLCC)|구리 전선=copper wire",
   "Japan|Vietnam|USA|Germany",
   "pcb_assembly|electronics_design|mass_production",
   "mes_software|vision_inspection|overseas_sales|talent|testing_certification|injection_moulding",
   "production", "development", 1988, 2020},
  {"sheet_metal_shop", kCo, "IMT", 10, kStem, "C25 fabricated metal products",
   "금속=Metal|판금=Sheet Metal|메탈=Metal Works",
   "레이저 절단=laser cutting|CNC 절곡=CNC press braking|TIG 용접=TIG welding|분체 도장=powder coating",
   "제어반 외함=control panel enclosures|장비 프레임=equipment frames|브라켓=brackets",
   "스테인리스 SUS304=stainless steel SUS304|냉간압연강판 SPCC=cold-rolled steel SPCC|알루미늄 5052=aluminium 5052|분체 도료=powder paint",
   "Japan|Vietnam|USA",
   "sheet_metal|mass_production|pilot_site",
   "factory_automation|mes_software|energy_management|led_lighting|recycling|overseas_sales",
   "production", "marketing", 1985, 2018},
  {"device_maker", kCo, "IMT", 12, kStem, "C27 medical and precision instruments|C29 machinery",
   "메디칼=Medical|계측=Instruments|이노텍=Innotech|메디텍=Meditech",
   "정밀계측=precision measurement|광학 설계=optical design|센서 융합=sensor fusion|의료기기 인허가=medical device approval",
   "진단 장비=diagnostic devices|측정 장비=measuring instruments|휴대형 센서=portable sensors",
   "알루미늄 6061=aluminium 6061|ABS 수지=ABS resin|광학 렌즈=optical lenses|리튬이온 셀=lithium-ion cells",
   "USA|Germany|Japan|Vietnam|Saudi Arabia",
   "commercialisation|rnd_consortium|pilot_site",
   "embedded_firmware|app_development|product_design|testing_certification|overseas_sales|injection_moulding|battery_pack|funding_programme|export_support",
   "development|production", "planning|marketing", 1995, 2022},
  {"trading_company", kCo, "IMT", 8, kStem, "G46 wholesale trade|C29 machinery",
   "무역=Trading|인터내셔널=International|글로벌=Global",
   "수출입 통관=customs clearance|해외 인증=overseas certification|B2B 온라인 수출=B2B e-export",
   "산업용 부품=industrial parts|공구=tools|소모품=consumables",
   "골판지 포장재=corrugated cardboard packaging|목재 팔레트=wooden pallets",
   "Japan|Vietnam|Indonesia|USA|Thailand|Mexico|UAE",
   "overseas_sales|digital_marketing|product_planning",
   "mass_production|cnc_machining|injection_moulding|video_production|localisation",
   "marketing", "planning", 1990, 2022},
  // ICT: software, data and devices.
  {"mes_vendor", kCo, "ICT", 16, kStem, "J58 software publishing|J62 computer programming and SI",
   "소프트=Soft|시스템=Systems|인포텍=Infotech|솔루션=Solutions",
   "MES=MES|OPC UA=OPC UA|디지털 트윈=digital twin|PLC 데이터 수집=PLC data acquisition|스마트공장=smart factory",
   "클라우드 MES=cloud MES|생산 모니터링 대시보드=production monitoring dashboard|설비 보전 관리=maintenance management",
   "서버 하드웨어=server hardware|산업용 PC=industrial PCs|산업용 태블릿=rugged tablets",
   "Vietnam|Indonesia|Japan|Mexico",
   "mes_software|data_analytics|rnd_consortium|iot_platform",
   "pilot_site|field_data|overseas_sales|funding_programme|talent|joint_research",
   "development", "planning|marketing", 1998, 2022},
  {"vision_ai", kCo, "ICT", 12, kStem, "J62 computer programming and SI|M70 research and development",
   "비전=Vision|에이아이=AI|랩스=Labs|인사이트=Insight",
   "딥러닝=deep learning|머신비전=machine vision|이미지 분석=image analysis|엣지 AI=edge AI",
   "외관 검사기=visual inspection stations|불량 검출 소프트웨어=defect detection software",
   "GPU 서버=GPU servers|산업용 카메라=industrial cameras|LED 조명 모듈=LED light modules",
   "Japan|USA|Vietnam|Germany",
   "vision_inspection|data_analytics|rnd_consortium",
   "field_data|pilot_site|factory_automation|joint_research|equipment_sharing|cloud_infra",
   "development", "planning", 2010, 2023},
  {"iot_company", kCo, "ICT", 14, kStem, "J62 computer programming and SI|C26 electronic components",
   "아이오티=IoT|커넥트=Connect|센스=Sense|네트웍스=Networks",
   "LoRa·LTE-M 통신=LoRa and LTE-M|임베디드 리눅스=embedded Linux|BLE=Bluetooth Low Energy|엣지 컴퓨팅=edge computing",
   "IoT 게이트웨이=IoT gateways|무선 센서 노드=wireless sensor nodes|원격 관제 플랫폼=remote monitoring platform",
   "FR-4 PCB 기판=PCB substrates FR-4|LTE 통신모듈=LTE modules|MEMS 센서=MEMS sensors|ABS 수지=ABS resin",
   "Japan|Vietnam|USA|Indonesia",
   "iot_platform|embedded_firmware|electronics_design",
   "pcb_assembly|injection_moulding|cnc_machining|testing_certification|mass_production|public_testbed|overseas_sales",
   "development", "planning|production", 2005, 2023},
  {"app_agency", kCo, "ICT", 14, kStem, "J62 computer programming and SI|J63 information services",
   "소프트=Soft|웍스=Works|디지털=Digital|랩=Lab",
   "React=React|Flutter=Flutter|Spring Boot=Spring Boot|Kubernetes=Kubernetes|AWS=AWS",
   "모바일 앱=mobile apps|웹 서비스=web services|관리자 시스템=admin systems",
   "클라우드 서버=cloud servers|소프트웨어 라이선스=software licences",
   "Japan|USA|Vietnam",
   "app_development|cloud_infra|product_design",
   "digital_marketing|security|talent|product_planning|overseas_sales|funding_programme",
   "development", "planning", 2005, 2023},
  {"security_firm", kCo, "ICT", 8, kStem, "J62 computer programming and SI|J63 information services",
   "시큐리티=Security|가드=Guard|시큐어=Secure",
   "침입탐지=intrusion detection|제로트러스트=zero trust|ISMS-P=ISMS-P|암호화=encryption",
   "보안 관제 서비스=security monitoring service|취약점 진단 도구=vulnerability scanner",
   "서버 하드웨어=server hardware|네트워크 보안 장비=network security appliances",
   "Japan|Vietnam|UAE|USA",
   "security|cloud_infra",
   "overseas_sales|funding_programme|joint_research|talent|digital_marketing",
   "development", "marketing", 2000, 2022},
  {"data_company", kCo, "ICT", 10, kStem, "J63 information services|M70 research and development",
   "데이터=Data|애널리틱스=Analytics|인텔리전스=Intelligence",
   "빅데이터=big data|머신러닝=machine learning|시계열 예측=time-series forecasting|데이터 시각화=data visualisation",
   "수요예측 서비스=demand forecasting service|분석 대시보드=analytics dashboards|예지보전 모델=predictive maintenance models",
   "GPU 서버=GPU servers|클라우드 서버=cloud servers",
   "Japan|USA|Singapore|Vietnam",
   "data_analytics|rnd_consortium|cloud_infra",
   "field_data|joint_research|pilot_site|public_testbed|talent",
   "development", "planning", 2008, 2023},
  {"edtech_platform", kCo, "ICT", 8, kStem, "J58 software publishing|P85 education",
   "에듀=Edu|러닝=Learning|클래스=Class",
   "LMS=LMS|동영상 스트리밍=video streaming|학습 분석=learning analytics|SCORM=SCORM",
   "기업교육 플랫폼=corporate training platform|온라인 강의 앱=online course app",
   "클라우드 서버=cloud servers|촬영 스튜디오 장비=studio equipment",
   "Vietnam|Indonesia|Japan|USA",
   "lms_platform|app_development",
   "edu_content|vr_content|digital_marketing|localisation|video_production",
   "development", "marketing|planning", 2008, 2023},
  // DC: games, animation, education content.
  {"game_studio", kCo, "DC", 24, kStem, "J58 game software publishing",
   "게임즈=Games|스튜디오=Studio|인터랙티브=Interactive|엔터테인먼트=Entertainment",
   "유니티=Unity|언리얼 엔진=Unreal Engine|게임 서버=game servers|실시간 멀티플레이=real-time multiplayer",
   "모바일 RPG=mobile RPG|캐주얼 퍼즐 게임=casual puzzle game|PC 인디 게임=indie PC game",
   "게임엔진 라이선스=game engine licences|서버 하드웨어=server hardware|그래픽 태블릿=graphics tablets",
   "Japan|USA|China|Taiwan|Vietnam|Indonesia",
   "game_dev|vr_content",
   "game_publishing|localisation|digital_marketing|art_outsourcing|cloud_infra|funding_programme|data_analytics|export_support",
   "planning|development", "marketing", 2008, 2023},
  {"game_publisher", kCo, "DC", 10, kStem, "J58 game software publishing|M71 advertising",
   "플레이=Play|엔터=Entertainment|퍼블리싱=Publishing",
   "라이브 운영=live operations|게임 데이터 분석=game analytics|결제 연동=payment integration",
   "퍼블리싱 게임 포트폴리오=published game portfolio|게임 커뮤니티 운영=game community management",
   "서버 하드웨어=server hardware|광고 매체 구매=ad inventory",
   "Japan|Taiwan|USA|Thailand|Vietnam|Indonesia",
   "game_publishing|localisation|digital_marketing",
   "game_dev|cloud_infra|security|data_analytics|art_outsourcing",
   "marketing", "planning", 2005, 2022},
  {"animation_studio", kCo, "DC", 16, kStem, "J59 film, video and animation",
   "애니메이션=Animation|픽처스=Pictures|필름=Films|스튜디오=Studio",
   "3D 캐릭터 리깅=3D character rigging|모션캡처=motion capture|실시간 렌더링=real-time rendering|Maya=Maya",
   "TV 애니메이션 시리즈=animated TV series|캐릭터 숏폼=short-form character videos|광고 애니메이션=animated commercials",
   "렌더팜 서버=render farm servers|소프트웨어 라이선스=software licences|그래픽 태블릿=graphics tablets",
   "Japan|China|USA|France|Indonesia",
   "animation|art_outsourcing|video_production",
   "ip_licensing|overseas_sales|localisation|funding_programme|digital_marketing|game_dev",
   "development|production", "planning", 2000, 2023},
  {"edu_content_company", kCo, "DC", 14, kStem, "J58 education content publishing|P85 education",
   "에듀=Edu|북스=Books|러닝=Learning|키즈=Kids",
   "인터랙티브 교재=interactive textbooks|영상 강의 제작=lecture video production|교육과정 설계=curriculum design",
   "코딩 교육 콘텐츠=coding education content|유아 영어 콘텐츠=kids' English content|직무교육 과정=vocational training courses",
   "인쇄 용지=printing paper|골판지 포장재=corrugated cardboard packaging|촬영 스튜디오 장비=studio equipment",
   "Vietnam|Indonesia|Japan|Mongolia|USA",
   "edu_content|video_production",
   "lms_platform|app_development|overseas_sales|localisation|vr_content|digital_marketing",
   "planning|development", "production|marketing", 1995, 2023},
  {"vr_studio", kCo, "DC", 12, kStem, "J59 film, video and animation|J58 software publishing",
   "엑스알=XR|리얼리티=Reality|메타=Meta|비전=Vision",
   "VR=VR|AR=AR|언리얼 엔진=Unreal Engine|360 영상=360-degree video|디지털 트윈=digital twin",
   "VR 안전교육 시뮬레이터=VR safety training simulator|AR 전시 안내=AR exhibition guide|메타버스 전시관=metaverse showroom",
   "VR 헤드셋=VR headsets|GPU 서버=GPU servers|소프트웨어 라이선스=software licences",
   "Japan|USA|UAE|Singapore",
   "vr_content|art_outsourcing",
   "funding_programme|overseas_sales|public_testbed|edu_content|equipment_sharing|joint_research",
   "development", "planning|production", 2012, 2023},
  {"design_agency", kCo, "DC", 12, kStem, "M73 design services|M71 advertising",
   "디자인=Design|크리에이티브=Creative|브랜딩=Branding",
   "UX 리서치=UX research|브랜드 아이덴티티=brand identity|3D 렌더링=3D rendering|Figma=Figma",
   "브랜드 패키지=brand packages|앱 UI 디자인=app UI design|제품 목업=product mock-ups",
   "인쇄 용지=printing paper|골판지 포장재=corrugated cardboard packaging",
   "Japan|USA|Vietnam",
   "product_design|video_production|digital_marketing|product_planning",
   "app_development|mass_production|overseas_sales|injection_moulding",
   "planning|marketing", "development", 2000, 2023},
  {"character_ip", kCo, "DC", 8, kStem, "J59 film, video and animation|J58 publishing",
   "프렌즈=Friends|캐릭터=Characters|팩토리=Factory",
   "캐릭터 디자인=character design|라이선싱=licensing|굿즈 기획=merchandise planning",
   "캐릭터 굿즈=character goods|웹툰=webtoons|이모티콘=emoticons",
   "인쇄 용지=printing paper|봉제 원단=plush fabric|골판지 포장재=corrugated cardboard packaging|PVC 피규어 소재=PVC figure material",
   "Japan|China|Taiwan|Thailand|USA",
   "ip_licensing|animation|product_planning",
   "mass_production|overseas_sales|digital_marketing|game_dev|localisation",
   "planning|marketing", "development", 2010, 2023},
  // Green IT: energy and environment.
  {"energy_software", kCo, "Green IT", 24, kStem, "J62 computer programming and SI|D35 electricity and energy",
   "에너지=Energy|파워=Power|그리드=Grid|이엠에스=EMS",
   "FEMS=FEMS|BEMS=BEMS|전력 피크 제어=peak demand control|수요반응(DR)=demand response|스마트미터=smart meters",
   "에너지 관리 플랫폼=energy management platform|전력 모니터링 센서=power monitoring sensors",
   "전력 계측기=power meters|서버 하드웨어=server hardware|구리 전선=copper wire",
   "Vietnam|Indonesia|Japan|Australia",
   "energy_management|iot_platform|data_analytics",
   "pilot_site|field_data|public_testbed|funding_programme|overseas_sales|testing_certification",
   "development", "planning|marketing", 2005, 2023},
  {"solar_ess", kCo, "Green IT", 16, kStem, "D35 electricity and energy|C28 electrical equipment",
   "솔라=Solar|에너지=Energy|그린텍=Greentech|파워=Power",
   "태양광 발전=solar PV|ESS=ESS|PCS 인버터=PCS inverters|BMS=BMS",
   "지붕형 태양광 시스템=rooftop PV systems|산업용 ESS=industrial ESS|배터리 랙=battery racks",
   "리튬이온 셀=lithium-ion cells|태양광 모듈=solar modules|구리 전선=copper wire|알루미늄 프로파일=aluminium extrusion profiles",
   "Vietnam|Indonesia|Philippines|Australia|USA",
   "solar_ess|battery_pack",
   "energy_management|embedded_firmware|testing_certification|funding_programme|sheet_metal|recycling",
   "production|development", "marketing", 2000, 2022},
  {"ev_charger", kCo, "Green IT", 12, kStem, "C28 electrical equipment",
   "모빌리티=Mobility|차저=Charger|이브이=EV|일렉트릭=Electric",
   "완속·급속 충전=AC and DC charging|OCPP=OCPP|전력변환=power conversion|결제 단말 연동=payment terminal integration",
   "완속 충전기=AC chargers|급속 충전기=DC fast chargers|충전 관제 플랫폼=charging management platform",
   "구리 전선=copper wire|스테인리스 SUS304=stainless steel SUS304|전력 반도체 모듈=power semiconductor modules|FR-4 PCB 기판=PCB substrates FR-4",
   "USA|Germany|Vietnam|Australia",
   "ev_charging|commercialisation",
   "app_development|iot_platform|sheet_metal|testing_certification|pcb_assembly|public_testbed",
   "development|production", "marketing", 2010, 2023},
  {"led_lighting_maker", kCo, "Green IT", 10, kStem, "C28 electrical equipment",
   "라이팅=Lighting|엘이디=LED|룩스=Lux",
   "LED 광학 설계=LED optics|DALI 조명제어=DALI lighting control|방열 설계=thermal design",
   "산업용 LED 투광등=industrial LED floodlights|스마트 조명 컨트롤러=smart lighting controllers",
   "LED 칩=LED chips|알루미늄 방열판=aluminium heat sinks|FR-4 PCB 기판=PCB substrates FR-4|PC 수지=polycarbonate resin",
   "Japan|Vietnam|UAE|Germany",
   "led_lighting|mass_production",
   "iot_platform|injection_moulding|overseas_sales|testing_certification|public_testbed|export_support",
   "production", "development|marketing", 1995, 2020},
  {"environment_consultancy", kCo, "Green IT", 10, kStem, "M71 management consulting|M72 engineering services",
   "그린=Green|환경=Environment|카본=Carbon",
   "LCA 전과정평가=life cycle assessment|온실가스 산정=GHG accounting|ISO 14064=ISO 14064|ESG 공시=ESG disclosure",
   "탄소발자국 보고서=carbon footprint reports|ESG 진단=ESG assessments",
   "소프트웨어 라이선스=software licences",
   "Japan|Germany|Vietnam",
   "carbon_accounting|product_planning",
   "data_analytics|app_development|field_data|overseas_sales",
   "planning", "marketing", 2008, 2023},
  {"recycler", kCo, "Green IT", 8, kStem, "E38 waste collection and recycling",
   "리사이클=Recycle|자원=Resources|에코=Eco",
   "배터리 해체=battery dismantling|금속 회수=metal recovery|선별 자동화=automated sorting",
   "재생 알루미늄=recycled aluminium|재생 구리=recycled copper|블랙매스=black mass",
   "폐배터리=spent batteries|금속 스크랩=metal scrap",
   "China|Vietnam|Indonesia",
   "recycling|field_data",
   "factory_automation|vision_inspection|funding_programme|data_analytics|testing_certification",
   "production", "marketing", 1995, 2022},
  // Institutions. Their mini-cluster is drawn like a company's.
  {"university", FirmKind::kUniversity, "", 1, kStem, "P85 higher education|M70 research and development",
   "대학교 산학협력단=University Industry-Academia Cooperation Foundation|공과대학교 산학협력단=Institute of Technology Industry-Academia Cooperation",
   "인공지능=artificial intelligence|로봇공학=robotics|신소재=advanced materials|콘텐츠 기술=content technology",
   "학위 과정=degree programmes|이전 가능 특허=licensable patents",
   "실험 소모품=laboratory consumables|서버 하드웨어=server hardware",
   "",
   "joint_research|talent|tech_transfer|equipment_sharing",
   "rnd_consortium|field_data|commercialisation|pilot_site",
   "planning|development", "", 1946, 2000},
  {"research_institute", FirmKind::kResearchInstitute, "", 1, SampleNameStyle::kFieldStem,
   "M70 research and development",
   "연구원=Research Institute|시험연구원=Testing and Research Institute|기술원=Institute of Technology",
   "신뢰성 평가=reliability assessment|EMC 시험=EMC testing|시제품 제작=prototyping|표준화=standardisation",
   "시험성적서=test reports|공동활용 장비=shared equipment",
   "실험 소모품=laboratory consumables|시험 장비=test equipment",
   "",
   "testing_certification|joint_research|tech_transfer|equipment_sharing",
   "commercialisation|rnd_consortium|field_data|pilot_site",
   "planning|development", "", 1966, 2015},
  {"support_organisation", FirmKind::kSupportOrganisation, "", 1, SampleNameStyle::kClusterStem,
   "N75 business support services",
   "기업지원센터=Business Support Center|수출지원센터=Export Support Center|창업보육센터=Startup Incubation Center|산업협회=Industry Association",
   "기업 네트워킹=business networking|수출 컨설팅=export consulting|창업 보육=startup incubation",
   "지원사업 공고=support programme calls|B2B 상담회=B2B matchmaking events",
   "인쇄 용지=printing paper",
   "",
   "funding_programme|export_support|equipment_sharing|talent",
   "rnd_consortium|commercialisation|digital_marketing|video_production",
   "planning|marketing", "", 1990, 2020},
  {"public_body", FirmKind::kPublicBody, "", 1, SampleNameStyle::kClusterStem,
   "O84 public administration",
   "산업진흥재단=Industry Promotion Foundation|테크노파크=Technopark|경제진흥원=Economic Promotion Agency",
   "스마트시티=smart city|산업단지 고도화=industrial complex upgrading|탄소중립=carbon neutrality",
   "실증 지원사업=pilot support programmes|산업단지 정책=industrial complex policy",
   "인쇄 용지=printing paper",
   "",
   "funding_programme|public_testbed|export_support",
   "data_analytics|carbon_accounting|vr_content|edu_content|iot_platform|ev_charging",
   "planning", "", 1995, 2020},
};
// clang-format on

struct ClusterRow {
  const char* name;
  const char* short_name;  // "ko=en"
  const char* id_prefix;
  const char* regions;
  std::array<int, kSampleMiniClusterCount> affinity;  // ICT, IMT, DC, Green IT
  int local_weight;
  int national_weight;
};

// clang-format off
constexpr ClusterRow kClusterRows[] = {
  {"G-Valley", "G밸리=G-Valley", "GV", "Seoul Guro-gu|Seoul Geumcheon-gu", {25, 25, 25, 25}, 80, 30},
  {"DMC", "DMC=DMC", "DMC", "Seoul Mapo-gu", {30, 0, 60, 10}, 5, 6},
  {"Magok", "마곡=Magok", "MG", "Seoul Gangseo-gu", {40, 20, 5, 35}, 4, 5},
  {"Pangyo", "판교=Pangyo", "PG", "Seongnam Bundang-gu|Seongnam Sujeong-gu", {50, 5, 40, 5}, 5, 8},
  {"Yangjae", "양재=Yangjae", "YJ", "Seoul Seocho-gu", {70, 0, 20, 10}, 3, 4},
  {"Anyang", "안양=Anyang", "AY", "Anyang Dongan-gu|Anyang Manan-gu", {40, 40, 0, 20}, 3, 4},
  {"Banwol-Sihwa", "반월시화=Banwol-Sihwa", "BS", "Ansan Danwon-gu|Siheung-si", {10, 70, 0, 20}, 0, 10},
  {"Changwon", "창원=Changwon", "CW", "Changwon Seongsan-gu|Changwon Uichang-gu", {5, 80, 0, 15}, 0, 8},
  {"Gumi", "구미=Gumi", "GM", "Gumi-si", {50, 40, 0, 10}, 0, 6},
  {"Daedeok Innopolis", "대덕=Daedeok", "DD", "Daejeon Yuseong-gu", {40, 20, 10, 30}, 0, 6},
  {"Gwangju Cheomdan", "광주첨단=Gwangju Cheomdan", "GJ", "Gwangju Buk-gu|Gwangju Gwangsan-gu", {30, 20, 10, 40}, 0, 4},
  {"Busan Centum", "센텀=Centum", "BC", "Busan Haeundae-gu", {40, 10, 40, 10}, 0, 4},
  {"Namdong", "남동=Namdong", "ND", "Incheon Namdong-gu", {15, 70, 0, 15}, 0, 5},
  {"Ochang", "오창=Ochang", "OC", "Cheongju Cheongwon-gu", {30, 30, 0, 40}, 0, 4},
};

constexpr const char* kNameStems =
    "한빛=Hanbit|대성=Daesung|세진=Sejin|미래=Mirae|누리=Nuri|태광=Taekwang|동진=Dongjin|"
    "하나=Hana|신우=Shinwoo|보람=Boram|예성=Yesung|우진=Woojin|성호=Sungho|진영=Jinyoung|"
    "새롬=Saerom|다온=Daon|에이스=Ace|그린=Green|스마트=Smart|넥스트=Next|제일=Jeil|삼원=Samwon|"
    "대한=Daehan|한결=Hangyeol|늘봄=Neulbom|아름=Areum|가온=Gaon|온누리=Onnuri|청솔=Cheongsol|"
    "푸른=Pureun|유니=Uni|코어=Core|위드=With|이노=Inno|나래=Narae|해솔=Haesol|별빛=Byeolbit";
constexpr const char* kFirstSyllables =
    "한=Han|대=Dae|세=Se|미=Mi|태=Tae|동=Dong|신=Shin|성=Sung|진=Jin|우=Woo|현=Hyun|정=Jung|"
    "영=Young|재=Jae|광=Kwang|명=Myung|서=Seo|유=Yu|은=Eun|지=Ji|도=Do|준=Jun|해=Hae|경=Kyung|"
    "상=Sang|승=Seung|화=Hwa|보=Bo|나=Na|창=Chang";
constexpr const char* kSecondSyllables =
    "진=jin|성=sung|우=woo|원=won|빛=bit|일=il|영=young|호=ho|산=san|림=rim|솔=sol|온=on|"
    "아=a|윤=yun|강=kang|민=min|석=seok|훈=hoon|연=yeon|람=ram";
// Per mini-cluster, in kSampleMiniClusters order; part of institute and
// support organisation names.
constexpr const char* kResearchFields =
    "정보통신=ICT|스마트제조=Smart Manufacturing|디지털콘텐츠=Digital Content|"
    "에너지환경=Energy and Environment";
// clang-format on

std::vector<std::string_view> SplitAlternatives(std::string_view text) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t bar = text.find('|', start);
    parts.push_back(text.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) return parts;
    start = bar + 1;
  }
}

class TableBuilder {
 public:
  explicit TableBuilder(SampleVocabulary* vocab) : vocab_(vocab) {}

  std::vector<BilingualTerm> Terms(std::string_view text, std::string_view where) {
    std::vector<BilingualTerm> terms;
    for (std::string_view part : SplitAlternatives(text)) terms.push_back(Term(part, where));
    return terms;
  }

  BilingualTerm Term(std::string_view part, std::string_view where) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size()) {
      Error(Concat({where, ": malformed term '", std::string(part), "'"}));
      return {part, part};
    }
    return {part.substr(0, eq), part.substr(eq + 1)};
  }

  std::vector<int> Capabilities(std::string_view text, std::string_view where) {
    std::vector<int> indices;
    for (std::string_view key : SplitAlternatives(text)) {
      int found = -1;
      for (size_t i = 0; i < vocab_->capabilities.size(); ++i) {
        if (vocab_->capabilities[i].key == key) found = static_cast<int>(i);
      }
      if (found < 0)
        Error(Concat({where, ": unknown capability '", std::string(key), "'"}));
      else
        indices.push_back(found);
    }
    return indices;
  }

  std::vector<Role> Roles(std::string_view text, std::string_view where) {
    std::vector<Role> roles;
    for (std::string_view name : SplitAlternatives(text)) {
      std::optional<Role> role = ParseRole(name);
      if (!role.has_value())
        Error(Concat({where, ": unknown role '", std::string(name), "'"}));
      else
        roles.push_back(*role);
    }
    return roles;
  }

  int MiniCluster(std::string_view name, std::string_view where) {
    if (name.empty()) return -1;
    for (int i = 0; i < kSampleMiniClusterCount; ++i) {
      if (kSampleMiniClusters[i] == name) return i;
    }
    Error(Concat({where, ": unknown mini-cluster '", std::string(name), "'"}));
    return -1;
  }

  // Registers every wording of capability `index`; a wording seen before
  // anywhere in the catalogue is an error.
  void IndexWordings(int index) {
    const SampleCapability& c = vocab_->capabilities[index];
    for (const auto* list : {&c.offers_ko, &c.offers_en}) {
      for (std::string_view w : *list) Register(w, index, &vocab_->offer_index);
    }
    for (const auto* list : {&c.needs_ko, &c.needs_en}) {
      for (std::string_view w : *list) Register(w, index, &vocab_->need_index);
    }
  }

  void Error(std::string message) { vocab_->errors.push_back(std::move(message)); }

 private:
  void Register(std::string_view wording, int index,
                std::unordered_map<std::string_view, int>* map) {
    if (vocab_->offer_index.count(wording) > 0 || vocab_->need_index.count(wording) > 0) {
      Error(Concat({"wording used twice: '", std::string(wording), "'"}));
      return;
    }
    (*map)[wording] = index;
  }

  SampleVocabulary* const vocab_;
};

SampleVocabulary BuildVocabulary() {
  SampleVocabulary vocab;
  TableBuilder builder(&vocab);
  for (const CapabilityRow& row : kCapabilityRows) {
    SampleCapability c;
    c.key = row.key;
    c.label = builder.Term(row.label, row.key);
    c.offers_ko = SplitAlternatives(row.offers_ko);
    c.offers_en = SplitAlternatives(row.offers_en);
    c.needs_ko = SplitAlternatives(row.needs_ko);
    c.needs_en = SplitAlternatives(row.needs_en);
    vocab.capabilities.push_back(std::move(c));
    builder.IndexWordings(static_cast<int>(vocab.capabilities.size()) - 1);
  }
  for (const ArchetypeRow& row : kArchetypeRows) {
    SampleArchetype a;
    a.key = row.key;
    a.kind = row.kind;
    a.mini_cluster = builder.MiniCluster(row.mini_cluster, row.key);
    a.weight = row.weight;
    a.name_style = row.name_style;
    a.industries = SplitAlternatives(row.industries);
    a.name_suffixes = builder.Terms(row.name_suffixes, row.key);
    a.technologies = builder.Terms(row.technologies, row.key);
    a.products = builder.Terms(row.products, row.key);
    a.materials = builder.Terms(row.materials, row.key);
    a.markets = SplitAlternatives(row.markets);
    a.offers = builder.Capabilities(row.offers, row.key);
    a.needs = builder.Capabilities(row.needs, row.key);
    a.core_roles = builder.Roles(row.core_roles, row.key);
    a.optional_roles = builder.Roles(row.optional_roles, row.key);
    if (a.offers.empty() || a.needs.empty() || a.core_roles.empty() || a.name_suffixes.empty() ||
        a.technologies.empty() || a.products.empty() || a.materials.empty() ||
        a.industries.empty()) {
      builder.Error(Concat({row.key,
                            ": every archetype list but markets and optional roles must "
                            "be non-empty"}));
    }
    a.founded_min = row.founded_min;
    a.founded_max = row.founded_max;
    vocab.archetypes.push_back(std::move(a));
  }
  for (const ClusterRow& row : kClusterRows) {
    SampleClusterSite site;
    site.name = row.name;
    site.short_name = builder.Term(row.short_name, row.name);
    site.id_prefix = row.id_prefix;
    site.regions = SplitAlternatives(row.regions);
    site.affinity = row.affinity;
    site.local_weight = row.local_weight;
    site.national_weight = row.national_weight;
    vocab.clusters.push_back(std::move(site));
  }
  vocab.name_stems = builder.Terms(kNameStems, "name stems");
  vocab.first_syllables = builder.Terms(kFirstSyllables, "first syllables");
  vocab.second_syllables = builder.Terms(kSecondSyllables, "second syllables");
  std::vector<BilingualTerm> fields = builder.Terms(kResearchFields, "research fields");
  if (fields.size() != vocab.research_fields.size()) {
    builder.Error("research fields: one per mini-cluster expected");
  } else {
    std::copy(fields.begin(), fields.end(), vocab.research_fields.begin());
  }
  return vocab;
}

int Lookup(const std::unordered_map<std::string_view, int>& map, std::string_view phrase) {
  auto it = map.find(phrase);
  return it == map.end() ? -1 : it->second;
}

}  // namespace

int SampleVocabulary::OfferCapability(std::string_view phrase) const {
  return Lookup(offer_index, phrase);
}

int SampleVocabulary::NeedCapability(std::string_view phrase) const {
  return Lookup(need_index, phrase);
}

const SampleVocabulary& SampleVocabularyTables() {
  static const SampleVocabulary* const kVocabulary = new SampleVocabulary(BuildVocabulary());
  return *kVocabulary;
}

}  // namespace clustermatch

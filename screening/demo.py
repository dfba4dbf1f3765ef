"""Demo data of the screening room (registered in apps.py): twelve companies of the FY2026
call spread over the selection — two still filling in the WEB form (one half done), two
received (10 and 45 days ago, so the dashboard's waiting flags show), one in document
screening with one assessment, one with an online interview next week, one interviewed (the
result recorded), one in matching, two in the final review on a planned committee meeting,
one rejected at document screening (its notice sent) and one withdrawn.

Everything goes through the services a person would use: the registration (auto-reply), the
WEB form and the document upload (tiny PDFs written here), the submission (stored
eligibility, receipt mail), assessments, stage decisions, interviews, the matching (the
experts room's ranking and `assignment_confirm`), the committee meeting and the notices.
Afterwards only the application's own timestamps (created_at, received_at,
status_changed_at) and the sent notice's date are moved into the past with `update()`, so
the pages show a plausible history; the audit log keeps the real time of the seeding.

Idempotent: a company is found by its name or 法人番号 in the call; one that exists is left
exactly as it stands (a second run creates and changes nothing), and the meeting is found by
its title. Mail goes to example.jp addresses only (a safety net cancels anything else).
"""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone
from pypdf import PdfWriter

from applications.demo import seed_call
from applications.enums import ApplicationStatus as S
from applications.enums import DocumentKind, ProjectType
from applications.forms_registration import CompanyForm, ContactForm, ProjectForm
from applications.intake import intake_state
from applications.models import Application, Call
from applications.normalize import corporate_number_check_digit
from applications.services import registration, workflow
from applications.services.access_links import access_url
from applications.services.documents import document_upload
from applications.services.webform import webform_section_save
from applications.webform_questions import (
    COMMON_PROJECT_QUESTIONS,
    DECLARATIONS,
    project_questions,
)
from experts import selectors as expert_selectors
from experts.models import Expert
from experts.services import AssignmentError, assignment_confirm
from handson import outbox
from handson.enums import MailStatus, Role
from handson.models import OutboundMail, User
from screening.enums import SCORED_CRITERIA, InterviewMode, Stage, TieRule
from screening.models import CommitteeMeeting, Notice, NoticeKind
from screening.services import committee, document_screening, interviews, notices
from screening.services.interviews import current_interview

DEMO_NOTE = "デモデータ"
MEETING_TITLE = "2026年度 第3回 採択企業選定審査委員会"
MEETING_PLACE = "ジェトロ本部 5階会議室（オンライン併用）"
COMMITTEE_MEMBERS = ("committee1", "committee2", "committee3")
COMMITTEE_CHAIR = "committee1"
COMMITTEE_QUORUM = 2
HQ = "ジェトロ本部（東京都港区赤坂1-12-32 アーク森ビル6階）"
SAFE_DOMAIN = "example.jp"

# Where each demo company ends up, in the order of the selection.
PIPELINE = [S.AWAITING_DOCUMENTS, S.RECEIVED, S.DOCUMENT_SCREENING, S.INTERVIEW_SCHEDULED,
            S.INTERVIEWED, S.MATCHING, S.COMMITTEE_REVIEW]
STAGES = {S.AWAITING_DOCUMENTS: 2, S.RECEIVED: 2, S.DOCUMENT_SCREENING: 1,
          S.INTERVIEW_SCHEDULED: 1, S.INTERVIEWED: 1, S.MATCHING: 1, S.COMMITTEE_REVIEW: 2,
          S.REJECTED: 1, S.WITHDRAWN: 1}


def corporate_number(base12: str) -> str:
    """A 法人番号 with a valid check digit (the registration form checks it)."""
    return f"{corporate_number_check_digit(base12)}{base12}"


def _plan(*, motto, strength, motive, commitment, structure, finance, target, market,
          support) -> dict[str, str]:
    return {
        "management_philosophy": f"経営理念は「{motto}」です。{strength}",
        "expansion_motive": motive, "executive_commitment": commitment,
        "implementation_structure": structure, "financial_base": finance,
        "target_plan": target, "market_needs": market, "desired_support": support,
    }


# Each company: the registration as typed into the three steps (strings, as a browser sends
# them), the WEB form (plan texts, bonus items), the documents, and where it ends up.
# `days`: received (days ago) and in the current state since (days ago).
DEMO_APPLICATIONS = [
    {
        "stage": S.AWAITING_DOCUMENTS, "registered": 3, "webform": "none",
        "company": {"name": "デモ 北星乳業株式会社", "name_kana": "デモ ホクセイニュウギョウ",
                    "corporate_number": corporate_number("430001012345"),
                    "legal_form": "company", "postal_code": "060-0042",
                    "prefecture": "01", "address": "札幌市中央区大通西5丁目8番地",
                    "representative": "北村 大地", "industry": "manufacturing_other",
                    "capital_yen": "5000万", "regular_employees": "85",
                    "website": "https://hokusei-dairy.example.jp/"},
        "contact": {"contact_name": "石川 由美", "contact_department": "営業企画部 課長",
                    "contact_email": "hokusei-dairy@example.jp",
                    "contact_phone": "011-222-3456"},
        "project": {"project_type": "export", "country_1": "TW", "country_2": "HK",
                    "product_name": "北海道産ナチュラルチーズ（カマンベール・ゴーダ）",
                    "product_url": "https://hokusei-dairy.example.jp/cheese/"},
    },
    {
        "stage": S.AWAITING_DOCUMENTS, "registered": 12, "webform": "half",
        "statements": (2025, 2024),
        "company": {"name": "デモ 株式会社みちのく漆器工房", "name_kana": "デモ ミチノクシッキコウボウ",
                    "corporate_number": corporate_number("400201056789"),
                    "legal_form": "company", "postal_code": "028-6841",
                    "prefecture": "03", "address": "二戸市浄法寺町御山中前田23-6",
                    "representative": "佐藤 漆太郎", "industry": "manufacturing_other",
                    "capital_yen": "1000万", "regular_employees": "12", "website": ""},
        "contact": {"contact_name": "佐藤 あかね", "contact_department": "代表取締役補佐",
                    "contact_email": "michinoku-shikki@example.jp",
                    "contact_phone": "0195-33-2100"},
        "project": {"project_type": "export", "country_1": "FR", "country_2": "DE",
                    "product_name": "浄法寺塗の食器・インテリア小物",
                    "product_url": "https://michinoku-shikki.example.jp/"},
        "plan": _plan(
            motto="千年の漆を、毎日の食卓に",
            strength="国産漆の産地で、採取から塗りまで一貫して手がけています。",
            motive="国内の需要が縮むなか、欧州の高級レストランやギャラリーから問い合わせが"
                   "増えており、産地の技術を次の世代へ残すためにも海外に販路を築きたい。",
            commitment="代表自らがパリの見本市に2回出展し、海外展開を今後5年の最重要課題と"
                       "位置づけています。",
            structure="代表と補佐（仏語可）の2名が担当し、職人8名で増産に対応します。",
            finance="直近2期は黒字で、県の補助金と自己資金で出展費用を賄います。",
            target="フランスとドイツで各2社のセレクトショップと継続取引を始め、"
                   "支援期間内に初回出荷を目指します。",
            market="欧州では天然素材・手仕事の食器の人気が高く、漆器は食洗機非対応でも"
                   "高価格帯で受け入れられています。",
            support="欧州の販路開拓、代理店との契約条件の整理、EUの食品接触材料の規制対応。"),
        "bonus": {"trade_fair_plan": "2027年1月 メゾン・エ・オブジェ（パリ）に出展予定。",
                  "designations": ["japan_brand"], "regional_revitalization": True,
                  "subsidies_received": ""},
    },
    {
        "stage": S.RECEIVED, "days": (10, 10),
        "company": {"name": "デモ 株式会社信州精密スプリング",
                    "name_kana": "デモ シンシュウセイミツスプリング",
                    "corporate_number": corporate_number("100001023456"),
                    "legal_form": "company", "postal_code": "392-0022",
                    "prefecture": "20", "address": "諏訪市高島2丁目1200-3",
                    "representative": "宮坂 誠", "industry": "manufacturing_other",
                    "capital_yen": "3000万", "regular_employees": "64",
                    "website": "https://shinshu-spring.example.jp/"},
        "contact": {"contact_name": "小松 健太", "contact_department": "海外営業課",
                    "contact_email": "shinshu-spring@example.jp",
                    "contact_phone": "0266-52-1234"},
        "project": {"project_type": "export", "country_1": "TH", "country_2": "VN",
                    "product_name": "医療機器向け超小型精密ばね",
                    "product_url": "https://shinshu-spring.example.jp/products/micro/"},
        "plan": _plan(
            motto="小さな部品で、世界のものづくりを支える",
            strength="線径0.02mmのばねを量産できる加工技術を持っています。",
            motive="国内の医療機器メーカーの生産がタイ・ベトナムへ移り、現地調達の要望に"
                   "応えるため、現地の医療機器メーカーと直接取引したい。",
            commitment="社長が海外展開委員会の委員長を務め、毎月進捗を確認します。",
            structure="海外営業課3名（英語可2名）と品質保証課が対応します。",
            finance="自己資本比率は52%で、5期連続の黒字です。",
            target="タイの医療機器メーカー3社で試作評価を受け、支援期間内に1社と取引を"
                   "始めます。",
            market="ASEANでは医療機器の生産が年率8%で伸び、精密部品の現地調達先が不足して"
                   "います。",
            support="タイ・ベトナムの販路開拓と商談の進め方、代理店候補の選定。"),
        "bonus": {"trade_fair_plan": "2027年2月 METALEX（バンコク）に出展予定。",
                  "designations": ["global_niche_top"], "regional_revitalization": False,
                  "subsidies_received": "ものづくり補助金（2024年度）で自動検査装置を導入。"},
    },
    {
        "stage": S.RECEIVED, "days": (45, 45), "catalogue": True,
        "company": {"name": "デモ 瀬戸内オリーブ株式会社", "name_kana": "デモ セトウチオリーブ",
                    "corporate_number": corporate_number("470001034567"),
                    "legal_form": "company", "postal_code": "761-4421",
                    "prefecture": "37", "address": "小豆郡小豆島町苗羽甲2211",
                    "representative": "三木 陽子", "industry": "manufacturing_other",
                    "capital_yen": "900万", "regular_employees": "18", "website": ""},
        "contact": {"contact_name": "三木 翔", "contact_department": "営業部",
                    "contact_email": "setouchi-olive@example.jp",
                    "contact_phone": "0879-82-0000"},
        "project": {"project_type": "export", "country_1": "SG",
                    "product_name": "小豆島産エキストラバージンオリーブオイル", "product_url": ""},
        "plan": _plan(
            motto="島の恵みを、誠実に届ける",
            strength="自社農園で栽培から搾油まで行い、品質を一貫して管理しています。",
            motive="シンガポールの高級スーパーの試験販売で好評を得ており、本格的な輸出に"
                   "つなげたい。",
            commitment="代表が輸出事業を直轄し、2027年度に海外売上1割を目標としています。",
            structure="営業部2名と製造責任者1名で担当します。",
            finance="直近3期の売上は約2億円で安定しています。",
            target="シンガポールで輸入代理店1社と契約し、高級スーパー5店舗で定番化します。",
            market="シンガポールでは日本産食品の需要が高く、健康志向でオリーブオイルの"
                   "市場も拡大しています。",
            support="輸入代理店の選定と契約、食品表示の規制確認、プロモーション。"),
        "bonus": {"trade_fair_plan": "", "designations": [], "regional_revitalization": True,
                  "subsidies_received": ""},
    },
    {
        "stage": S.DOCUMENT_SCREENING, "days": (65, 20),
        "company": {"name": "デモ 株式会社なにわ機工", "name_kana": "デモ ナニワキコウ",
                    "corporate_number": corporate_number("120001045678"),
                    "legal_form": "company", "postal_code": "577-0011",
                    "prefecture": "27", "address": "東大阪市荒本北1-4-17",
                    "representative": "中西 浩二", "industry": "manufacturing_other",
                    "capital_yen": "4800万", "regular_employees": "120",
                    "website": "https://naniwa-kiko.example.jp/"},
        "contact": {"contact_name": "山口 直樹", "contact_department": "海外事業部 部長",
                    "contact_email": "naniwa-kiko@example.jp",
                    "contact_phone": "06-6745-1111"},
        "project": {"project_type": "export", "country_1": "US", "country_2": "MX",
                    "country_3": "CA", "us_tariff_response": "on",
                    "product_name": "協働ロボット用の小型電動ハンド",
                    "product_url": "https://naniwa-kiko.example.jp/robot-hand/"},
        "plan": _plan(
            motto="現場の困りごとを、機械で解く",
            strength="食品工場向けの軽量で洗えるロボットハンドに強みがあります。",
            motive="米国の関税措置で取引先が北米生産を増やしており、米国とメキシコの工場に"
                   "直接販売する体制が必要になった。",
            commitment="社長が月1回の海外戦略会議を主宰し、専任部署を新設しました。",
            structure="海外事業部4名（英語2名・スペイン語1名）と技術サポート2名。",
            finance="売上高約25億円、自己資本比率45%。設備投資も自己資金で賄っています。",
            target="米国の販売代理店1社と契約し、メキシコの日系工場2社で採用を得ます。",
            market="北米の食品・物流工場で人手不足による自動化需要が拡大しています。",
            support="北米の販売代理店の開拓、展示会での商談の進め方、関税を踏まえた供給体制。"),
        "bonus": {"trade_fair_plan": "2027年3月 ProMat（シカゴ）に出展予定。",
                  "designations": ["regional_future_leader"],
                  "regional_revitalization": False, "subsidies_received": ""},
        "assessments": [("pass", 4, "製品の優位性は明確。北米の販路計画は具体的で、体制も整っている。")],
    },
    {
        "stage": S.INTERVIEW_SCHEDULED, "days": (38, 6),
        "company": {"name": "デモ 株式会社西陣テキスタイル", "name_kana": "デモ ニシジンテキスタイル",
                    "corporate_number": corporate_number("130001056789"),
                    "legal_form": "company", "postal_code": "602-8216",
                    "prefecture": "26", "address": "京都市上京区堀川通今出川上る竪門前町414",
                    "representative": "井上 織江", "industry": "wholesale",
                    "capital_yen": "2000万", "regular_employees": "35",
                    "website": "https://nishijin-textile.example.jp/"},
        "contact": {"contact_name": "井上 拓海", "contact_department": "海外営業室",
                    "contact_email": "nishijin-textile@example.jp",
                    "contact_phone": "075-441-2345"},
        "project": {"project_type": "export", "country_1": "FR", "country_2": "IT",
                    "product_name": "西陣織のインテリアファブリック",
                    "product_url": "https://nishijin-textile.example.jp/interior/"},
        "plan": _plan(
            motto="伝統の織りで、暮らしに彩りを",
            strength="西陣の織元10社と連携し、インテリア向けの広幅生地を企画・販売しています。",
            motive="欧州の高級ホテルやデザイナーから西陣織の張地への引き合いが増えている。",
            commitment="社長が欧州市場の開拓を経営方針の柱とし、専任者を置きました。",
            structure="海外営業室2名（仏語1名）と企画室が担当します。",
            finance="売上高約8億円、安定して黒字です。",
            target="フランスのインテリア代理店1社と契約し、ホテル案件2件の受注を目指します。",
            market="欧州のラグジュアリーホテルでは、日本の工芸素材を使った内装の需要が"
                   "伸びています。",
            support="欧州のインテリア代理店の開拓、ブランドの見せ方、契約条件の整理。"),
        "bonus": {"trade_fair_plan": "2027年1月 メゾン・エ・オブジェ（パリ）に出展予定。",
                  "designations": ["japan_brand", "jetro_members"],
                  "regional_revitalization": False, "subsidies_received": ""},
        "procures_domestically": True,
        "assessments": [("pass", 4, "代理店開拓の計画が具体的。織元の許諾も得ている。")],
        "interview": {"mode": InterviewMode.ONLINE, "when": "next_week",
                      "attendees": "代表取締役 井上 織江、海外営業室 井上 拓海"},
    },
    {
        "stage": S.INTERVIEWED, "days": (52, 4),
        "company": {"name": "デモ 博多ソフトウェア株式会社", "name_kana": "デモ ハカタソフトウェア",
                    "corporate_number": corporate_number("290001067890"),
                    "legal_form": "company", "postal_code": "812-0011",
                    "prefecture": "40", "address": "福岡市博多区博多駅前3-2-1",
                    "representative": "松本 剛", "industry": "services",
                    "special_industry": "software_it",
                    "capital_yen": "2500万", "regular_employees": "80",
                    "website": "https://hakata-soft.example.jp/"},
        "contact": {"contact_name": "古賀 美咲", "contact_department": "経営企画室",
                    "contact_email": "hakata-soft@example.jp",
                    "contact_phone": "092-411-5678"},
        "project": {"project_type": "overseas_base", "country_1": "VN",
                    "product_name": "受託開発・保守サービス（ベトナム開発拠点）",
                    "product_url": "https://hakata-soft.example.jp/services/"},
        "plan": _plan(
            motto="技術で地域と世界をつなぐ",
            strength="流通業向けの業務システムの受託開発で20年の実績があります。",
            motive="国内の技術者不足が深刻で、ベトナムに開発拠点を設けて開発体制を"
                   "強化したい。",
            commitment="社長が拠点設立の責任者となり、取締役会で投資を決議済みです。",
            structure="経営企画室2名と開発部長、ベトナム人技術者2名が準備を進めます。",
            finance="売上高約12億円、無借金経営です。設立資金は自己資金で賄います。",
            target="ダナンに現地法人を設立し、支援期間内に技術者10名の採用を始めます。",
            market="ベトナムはIT人材が豊富で、日本向けの開発拠点の設立が続いています。",
            support="現地法人の設立手続き、法務・税務、労務管理の進め方。"),
        "bonus": {"trade_fair_plan": "", "designations": ["j_startup"],
                  "regional_revitalization": False, "subsidies_received": ""},
        "assessments": [("pass", 4, "拠点設立の目的と体制は明確。資金計画も妥当。")],
        "interview": {"mode": InterviewMode.IN_PERSON, "when": 4,
                      "place": "ジェトロ福岡（福岡市博多区博多駅前2-1-1）",
                      "attendees": "代表取締役 松本 剛、経営企画室 古賀 美咲",
                      "result": ("pass", 4, "社長の意欲が高く、現地パートナー候補も見つけている。")},
    },
    {
        "stage": S.MATCHING, "days": (70, 7),
        "company": {"name": "デモ 株式会社美濃セラミックス", "name_kana": "デモ ミノセラミックス",
                    "corporate_number": corporate_number("200001078901"),
                    "legal_form": "company", "postal_code": "507-0033",
                    "prefecture": "21", "address": "多治見市本町5-9-1",
                    "representative": "加藤 陶一", "industry": "manufacturing_other",
                    "capital_yen": "3000万", "regular_employees": "48",
                    "website": "https://mino-ceramics.example.jp/"},
        "contact": {"contact_name": "加藤 さやか", "contact_department": "EC推進室",
                    "contact_email": "mino-ceramics@example.jp",
                    "contact_phone": "0572-22-3333"},
        "project": {"project_type": "export", "country_1": "TW", "country_2": "HK",
                    "product_name": "美濃焼のテーブルウェア",
                    "product_url": "https://mino-ceramics.example.jp/tableware/"},
        "plan": _plan(
            motto="使う人の毎日を、器で豊かに",
            strength="手頃な価格で色鮮やかな美濃焼を量産する技術を持っています。",
            motive="台湾・香港の個人客から自社ECへの注文が増え、現地の小売店と越境ECで本格的"
                   "に販売したい。",
            commitment="社長がEC推進室を新設し、海外売上を3年で倍にする目標を掲げました。",
            structure="EC推進室3名（中国語1名）と物流担当が担当します。",
            finance="売上高約6億円、直近3期は黒字です。",
            target="台湾の雑貨チェーン1社と取引を始め、越境ECで月100件の注文を目指します。",
            market="台湾・香港では日本の器の人気が高く、SNSでの発信が購買につながっています。",
            support="越境ECの運営とSNSマーケティング、現地小売店の開拓。"),
        "bonus": {"trade_fair_plan": "2027年2月 台北国際ギフト見本市に出展予定。",
                  "designations": ["new_export_10000"], "regional_revitalization": True,
                  "subsidies_received": ""},
        "assessments": [("pass", 4, "EC実績があり、計画が具体的。")],
        "interview": {"mode": InterviewMode.ONLINE, "when": 12,
                      "attendees": "代表取締役 加藤 陶一、EC推進室 加藤 さやか",
                      "result": ("pass", 4, "台湾の取引先候補と既に商談を始めている。"),
                      "decide": True},
    },
    {
        "stage": S.COMMITTEE_REVIEW, "days": (88, 9),
        "company": {"name": "デモ 浜松モーターテック株式会社",
                    "name_kana": "デモ ハママツモーターテック",
                    "corporate_number": corporate_number("080101089012"),
                    "legal_form": "company", "postal_code": "435-0016",
                    "prefecture": "22", "address": "浜松市中央区和田町808",
                    "representative": "鈴木 正和", "industry": "manufacturing_other",
                    "capital_yen": "9000万", "regular_employees": "210",
                    "website": "https://hamamatsu-motortech.example.jp/"},
        "contact": {"contact_name": "杉山 涼", "contact_department": "経営企画部 海外担当",
                    "contact_email": "hamamatsu-motortech@example.jp",
                    "contact_phone": "053-463-7777"},
        "project": {"project_type": "overseas_base", "country_1": "VN",
                    "product_name": "小型モーター部品（ベトナム工場の設立）",
                    "product_url": "https://hamamatsu-motortech.example.jp/"},
        "plan": _plan(
            motto="回す技術で、動く未来をつくる",
            strength="電動工具・二輪車向けの小型モーター部品を年間500万個生産しています。",
            motive="主要取引先がベトナムで増産しており、現地での供給を求められている。",
            commitment="社長が設立準備室長を兼ね、取締役会で投資を承認済みです。",
            structure="設立準備室5名（ベトナム語1名）と生産技術部が担当します。",
            finance="売上高約40億円、自己資本比率58%。工場設立は自己資金と銀行借入で賄います。",
            target="北部の工業団地に現地法人を設立し、支援期間内に試作ラインを稼働させます。",
            market="ベトナムでは二輪車・電動工具の生産が拡大し、現地調達部品が不足しています。",
            support="現地法人の設立手続き、工場の立ち上げ、税務・労務の整理。"),
        "bonus": {"trade_fair_plan": "", "designations": ["regional_economy_plan"],
                  "regional_revitalization": False,
                  "subsidies_received": "戦略的基盤技術高度化支援事業（2023年度）"},
        "assessments": [("pass", 5, "設立の目的・体制・資金とも十分。")],
        "interview": {"mode": InterviewMode.IN_PERSON, "when": 24, "place": HQ,
                      "attendees": "代表取締役 鈴木 正和、設立準備室 杉山 涼",
                      "result": ("pass", 5, "現地の工業団地と交渉中で、計画の実現性が高い。"),
                      "decide": True},
        "match": True,
    },
    {
        "stage": S.COMMITTEE_REVIEW, "days": (80, 6),
        "company": {"name": "デモ 有限会社やまなし果樹園", "name_kana": "デモ ヤマナシカジュエン",
                    "corporate_number": corporate_number("090002090123"),
                    "legal_form": "company", "postal_code": "405-0018",
                    "prefecture": "19", "address": "山梨市上神内川1112",
                    "representative": "望月 恵子", "industry": "manufacturing_other",
                    "capital_yen": "300万", "regular_employees": "9", "website": ""},
        "contact": {"contact_name": "望月 大輔", "contact_department": "専務取締役",
                    "contact_email": "yamanashi-fruits@example.jp",
                    "contact_phone": "0553-22-4444"},
        "project": {"project_type": "export", "country_1": "DE", "country_2": "FR",
                    "product_name": "無添加ドライフルーツ（桃・ぶどう）", "product_url": ""},
        "catalogue": True,
        "plan": _plan(
            motto="果樹園の味を、そのまま世界へ",
            strength="自園で育てた桃とぶどうを、砂糖を使わずに乾燥させる製法が強みです。",
            motive="欧州の見本市で無添加ドライフルーツへの関心が高いことがわかり、"
                   "継続的な輸出につなげたい。",
            commitment="代表と専務が輸出を事業の柱と位置づけ、加工場を増設しました。",
            structure="専務と加工場長の2名で担当し、繁忙期はパート職員を増員します。",
            finance="売上高約1億円、直近3期は黒字です。",
            target="ドイツの自然食品チェーンの輸入業者1社と契約し、初回出荷を行います。",
            market="ドイツでは砂糖不使用の自然食品の市場が拡大しています。",
            support="EUの食品規制・認証への対応、輸入業者との商談、食品表示の確認。"),
        "bonus": {"trade_fair_plan": "2027年2月 BIOFACH（ニュルンベルク）に出展予定。",
                  "designations": [], "regional_revitalization": True,
                  "subsidies_received": "農林水産物・食品輸出促進の補助金（2025年度）"},
        "assessments": [("pass", 4, "規模は小さいが、商品の独自性と意欲が高い。")],
        "interview": {"mode": InterviewMode.ONLINE, "when": 20,
                      "attendees": "代表取締役 望月 恵子、専務取締役 望月 大輔",
                      "result": ("pass", 4, "欧州の規制対応に課題はあるが、支援で解決できる。"),
                      "decide": True},
        "match": True,
    },
    {
        "stage": S.REJECTED, "days": (40, 15), "catalogue": True,
        "statements": (2025, 2024),
        "notes": "2023年に開業したため、決算（確定申告）は2期分のみです。",
        "company": {"name": "デモ サーフ工房 波音", "name_kana": "デモ サーフコウボウ ナミオト",
                    "corporate_number": "", "legal_form": "individual",
                    "postal_code": "251-0035", "prefecture": "14",
                    "address": "藤沢市片瀬海岸2-8-5", "representative": "波多野 海斗",
                    "industry": "manufacturing_other", "capital_yen": "",
                    "regular_employees": "2", "website": ""},
        "contact": {"contact_name": "波多野 海斗", "contact_department": "",
                    "contact_email": "surf-namioto@example.jp",
                    "contact_phone": "090-1234-5678"},
        "project": {"project_type": "export", "country_1": "AU",
                    "product_name": "手作りのサーフボード", "product_url": ""},
        "plan": _plan(
            motto="波に乗る楽しさを、一本ずつ",
            strength="職人が一本ずつ削り出すサーフボードです。",
            motive="オーストラリアで売ってみたい。",
            commitment="代表が担当します。",
            structure="代表1名で対応します。",
            finance="開業3年目で、売上は年間約1,500万円です。",
            target="オーストラリアで販売を始めたい。",
            market="オーストラリアはサーフィンが盛んです。",
            support="販路開拓の全般。"),
        "bonus": {"trade_fair_plan": "", "designations": [], "regional_revitalization": False,
                  "subsidies_received": ""},
        "assessments": [("fail", 2, "対象国での計画と体制が具体的でなく、支援期間内の成果が"
                                    "見込みにくい。")],
    },
    {
        "stage": S.WITHDRAWN, "days": (30, 8),
        "company": {"name": "デモ 株式会社金沢箔工芸", "name_kana": "デモ カナザワハクコウゲイ",
                    "corporate_number": corporate_number("220001001234"),
                    "legal_form": "company", "postal_code": "920-0831",
                    "prefecture": "17", "address": "金沢市東山1-13-10",
                    "representative": "森 琴美", "industry": "retail",
                    "capital_yen": "1000万", "regular_employees": "22",
                    "website": "https://kanazawa-haku.example.jp/"},
        "contact": {"contact_name": "森 健吾", "contact_department": "営業部 部長",
                    "contact_email": "kanazawa-haku@example.jp",
                    "contact_phone": "076-251-0000"},
        "project": {"project_type": "export", "country_1": "AE",
                    "product_name": "金箔を使った化粧品・工芸品",
                    "product_url": "https://kanazawa-haku.example.jp/products/"},
        "plan": _plan(
            motto="金沢の輝きを、世界の暮らしに",
            strength="金沢箔の製造から化粧品・工芸品の企画販売まで手がけています。",
            motive="ドバイの百貨店から金箔コスメの引き合いがあり、中東での販売を始めたい。",
            commitment="代表が中東市場の開拓を指示し、営業部長を担当に任命しました。",
            structure="営業部2名（英語可1名）が担当します。",
            finance="売上高約3億円、直近3期は黒字です。",
            target="ドバイの百貨店1店舗で常設販売を始めます。",
            market="中東の富裕層の間で、日本の高級化粧品と工芸品の人気が高まっています。",
            support="中東の販路開拓、ハラール認証など規制への対応。"),
        "bonus": {"trade_fair_plan": "", "designations": ["jetro_members"],
                  "regional_revitalization": True, "subsidies_received": ""},
        "withdrawal_reason": "社内の体制を見直すことになり、今年度の申込は取り下げます。",
    },
]


# -- small helpers -----------------------------------------------------------------------------

def tiny_pdf() -> bytes:
    """A valid one-page blank A4 PDF (passes the upload checks)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _working_day(day: date, step: int = -1) -> date:
    """`day`, or the nearest weekday before it (step -1) or after it (step 1)."""
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def _ago(call: Call, days: int, hour: int = 10) -> datetime:
    """`days` ago at `hour` (Japan time) on a weekday, not before the call opened."""
    day = _working_day(timezone.localdate() - timedelta(days=days))
    return _at(max(day, call.opens_on), hour)


def _next_week(weekday: int, hour: int) -> datetime:
    """The given weekday (0 = Monday) of next week."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return _at(monday + timedelta(days=weekday), hour)


def _fresh(application: Application) -> Application:
    """The application as stored now (a service may have changed it and its answers)."""
    return Application.objects.select_related("call", "company").get(pk=application.pk)


def _find(call: Call, company: dict) -> Application | None:
    match = Q(company__name=company["name"])
    if company.get("corporate_number"):
        match |= Q(company__corporate_number=company["corporate_number"])
    return Application.objects.filter(match, call=call).select_related("company").first()


def _cleaned(form_class, data: dict) -> dict:
    form = form_class(data={**data, **({"contact_email_confirm": data["contact_email"]}
                                       if "contact_email" in data else {})})
    if not form.is_valid():
        raise ValueError(f"demo registration data invalid: {form.errors.as_json()}")
    return form.cleaned_data


def _register(call: Call, spec: dict) -> Application:
    """The online registration, as the three steps and the confirmation would do it."""
    company = _cleaned(CompanyForm, spec["company"])
    contact = _cleaned(ContactForm, spec["contact"])
    project = _cleaned(ProjectForm, spec["project"])
    draft = registration.registration_start(
        call=call, session_key=f"demo-{company['corporate_number'] or company['name_kana']}"[:64])
    return registration.registration_complete(draft_id=draft.pk, company=company,
                                              contact=contact, project=project)


def _requirement_answers(application: Application, spec: dict) -> dict:
    """Favourable answers: yes to the requirements, no to the exclusions."""
    values = {name: True for name in (*project_questions(application.project_type),
                                      *COMMON_PROJECT_QUESTIONS)}
    values.update(consulting_business=False, continuous_export_to_target=False,
                  local_base_in_target=False)
    if application.project_type == ProjectType.EXPORT:
        values["procures_domestically_for_export"] = bool(spec.get("procures_domestically"))
        if not values["procures_domestically_for_export"]:
            values.pop("supplier_permission")
    else:
        values["base_operation_started"] = False
    return values


def _fill_webform(application: Application, spec: dict, *, complete: bool) -> None:
    actor = application.applicant
    save = webform_section_save
    save(actor=actor, application=application, section="plan", values=spec["plan"])
    save(actor=actor, application=application, section="bonus", values=spec["bonus"])
    statements = spec.get("statements", (2025, 2024, 2023))
    for year in statements:
        _upload(application, DocumentKind.FINANCIAL_STATEMENT, year,
                f"決算報告書_{year}年度.pdf")
    if not complete:
        return
    save(actor=actor, application=application, section="other_support",
         values={"parallel_human_support": False, "other_support_services": ""})
    save(actor=actor, application=application, section="requirements",
         values=_requirement_answers(application, spec))
    save(actor=actor, application=application, section="declarations",
         values={name: True for name in DECLARATIONS})
    if spec.get("notes"):
        save(actor=actor, application=application, section="notes",
             values={"contact_notes": spec["notes"]})
    if spec.get("catalogue") or not application.product_url:
        _upload(application, DocumentKind.PRODUCT_CATALOGUE, None, "製品カタログ.pdf")


def _upload(application: Application, kind: str, year: int | None, name: str) -> None:
    document_upload(application=application, kind=kind, fiscal_year=year,
                    file=SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf"),
                    actor=application.applicant)


def _scores(level: int) -> dict[str, int]:
    """Scores around `level`, a little varied so the table does not look flat."""
    return {key: max(1, min(5, level + (-1 if index % 4 == 3 else 0)))
            for index, key in enumerate(SCORED_CRITERIA)}


def _assess(application: Application, stage: str, staff: User, result) -> None:
    proposal, level, notes = result
    document_screening.assessment_save(
        application=application, stage=stage, actor=staff, scores=_scores(level),
        bonuses=document_screening.bonus_prefill(application), notes=notes, proposal=proposal)


def _ranked(application: Application):
    """The experts room's ranking for this application, as the matching page shows it."""
    interview = current_interview(application)
    return expert_selectors.matching_for(
        application,
        interview_candidate_id=interview.expert_candidate_id if interview else None).ranked


def _expert_for(application: Application) -> Expert | None:
    """The first proposal (named as the expert candidate at the interview)."""
    ranked = _ranked(application)
    return Expert.objects.filter(pk=ranked[0].expert_id).first() if ranked else None


def _match(application: Application, staff: User) -> None:
    """③ the best-ranked expert who can take it, confirmed as on the matching page; the
    manual move to the committee (with a note) if none can."""
    for candidate in _ranked(application):
        try:
            assignment_confirm(application=application,
                               expert=Expert.objects.get(pk=candidate.expert_id),
                               actor=staff, score=candidate.score, reasons=candidate.reasons)
            return
        except AssignmentError:
            continue
    workflow.matching_skip_to_committee(application=application, actor=staff, note=DEMO_NOTE)


def _interview(application: Application, spec: dict, staff: User) -> None:
    plan = spec["interview"]
    when = (_next_week(2, 14) if plan["when"] == "next_week"
            else _ago(application.call, plan["when"], hour=14))
    mode = plan["mode"]
    interview = interviews.interview_schedule(
        application=application, actor=staff, scheduled_at=when, mode=mode,
        company_attendees=plan["attendees"], duration_minutes=60,
        place=plan.get("place", "") if mode == InterviewMode.IN_PERSON else "",
        meeting_url=(f"https://meet.{SAFE_DOMAIN}/handson/{application.public_id.hex[:10]}"
                     if mode == InterviewMode.ONLINE else ""),
        jetro_staff=[staff], expert_candidate=_expert_for(application))
    if "result" not in plan:
        return
    proposal, level, notes = plan["result"]
    interviews.interview_result_save(interview=interview, actor=staff, scores=_scores(level),
                                     bonuses=document_screening.bonus_prefill(application),
                                     notes=notes, proposal=proposal)
    if plan.get("decide"):
        interviews.interview_decide(application=_fresh(application), outcome=proposal,
                                    actor=staff, note=notes)


def _reaches(spec: dict, status: str) -> bool:
    stage = spec["stage"]
    if stage == S.REJECTED:  # rejected at the document screening
        return status in (S.RECEIVED, S.DOCUMENT_SCREENING)
    if stage == S.WITHDRAWN:  # withdrawn after receipt
        return status == S.RECEIVED
    return PIPELINE.index(stage) >= PIPELINE.index(status)


def _create(call: Call, spec: dict, staff: User) -> Application:
    """One company from the registration up to its stage, through the services."""
    application = _register(call, spec)
    webform = spec.get("webform", "complete")
    if webform != "none":
        _fill_webform(application, spec, complete=webform == "complete")
    if _reaches(spec, S.RECEIVED):
        workflow.application_submit(application=_fresh(application),
                                    actor=application.applicant)
    if _reaches(spec, S.DOCUMENT_SCREENING):
        for result in spec["assessments"]:  # the first one starts ① (→ document_screening)
            _assess(_fresh(application), Stage.DOCUMENT, staff, result)
    if spec["stage"] == S.REJECTED or _reaches(spec, S.INTERVIEW_SCHEDULED):
        proposal, _level, note = spec["assessments"][0]
        document_screening.document_screening_decide(
            application=_fresh(application), outcome=proposal, actor=staff, note=note)
    if spec.get("interview"):
        _interview(_fresh(application), spec, staff)
    if spec.get("match"):
        _match(_fresh(application), staff)
    if spec["stage"] == S.REJECTED:
        notice = notices.notice_draft(application=application, kind=NoticeKind.REJECTION,
                                      actor=staff)
        try:
            notices.notice_send(notice=notice, actor=staff)
        except notices.NoticeError:  # before the call's decision date: it stays a draft
            pass
    if spec["stage"] == S.WITHDRAWN:
        workflow.application_withdraw(application=_fresh(application),
                                      actor=application.applicant,
                                      reason=spec["withdrawal_reason"])
    _age(application, spec)
    return _fresh(application)


def _age(application: Application, spec: dict) -> None:
    """Move the application's own timestamps into the past (demo history only)."""
    call = application.call
    if "days" not in spec:  # still in the WEB form
        registered = _ago(call, spec["registered"], hour=11)
        Application.objects.filter(pk=application.pk).update(
            created_at=registered, status_changed_at=registered)
        return
    received_days, stage_days = spec["days"]
    received = _ago(call, received_days, hour=15)
    changed = max(_ago(call, stage_days, hour=16), received)
    Application.objects.filter(pk=application.pk).update(
        created_at=received - timedelta(days=6), received_at=received,
        status_changed_at=changed)
    sent = Notice.objects.filter(application=application, sent_at__isnull=False)
    if sent.exists():
        day = _working_day(timezone.localtime(changed).date() + timedelta(days=1), step=1)
        notified = _at(min(day, timezone.localdate()), 10)
        sent.update(sent_at=notified)
        Application.objects.filter(pk=application.pk).update(decision_notified_at=notified)


def _meeting(call: Call, staff: User) -> CommitteeMeeting | None:
    """The planned meeting with the demo committee and the two companies in final review."""
    found = CommitteeMeeting.objects.filter(call=call, title=MEETING_TITLE).first()
    if found is not None:
        return found
    members = list(User.objects.filter(username__in=COMMITTEE_MEMBERS).order_by("username"))
    chair = next((m for m in members if m.username == COMMITTEE_CHAIR), None)
    names = [spec["company"]["name"] for spec in DEMO_APPLICATIONS
             if spec["stage"] == S.COMMITTEE_REVIEW]
    agenda = list(committee.agenda_candidates(call).filter(company__name__in=names))
    if len(members) != len(COMMITTEE_MEMBERS) or chair is None or not agenda:
        return None
    if any(not m.has_role(Role.COMMITTEE) for m in members):
        return None
    today = timezone.localdate()
    day = today + timedelta(days=14 - today.weekday() + 1)  # Tuesday in two weeks
    return committee.meeting_create(
        actor=staff, call=call, title=MEETING_TITLE, scheduled_at=_at(day, 14),
        members=members, chair=chair, quorum=COMMITTEE_QUORUM, tie_rule=TieRule.CHAIR_DECIDES,
        disclose_individual_votes=False, applications=agenda, place=MEETING_PLACE)


def _keep_mail_local(first_new_pk: int) -> None:
    """Safety net: a mail of this run to anything but example.jp is cancelled before it goes
    out (e.g. STAFF_NOTIFICATION_EMAIL set to a real address)."""
    for mail in OutboundMail.objects.filter(pk__gt=first_new_pk, status=MailStatus.PENDING):
        domain = mail.to.rpartition("@")[2].lower()
        if domain != SAFE_DOMAIN and not domain.endswith(f".{SAFE_DOMAIN}"):
            outbox.mail_cancel(mail=mail)


def _line(application: Application) -> str:
    line = f"  {application.company.name}: {application.get_status_display()}"
    if application.status == S.AWAITING_DOCUMENTS:
        line += f"（WEBフォーム {access_url(application)}）"
    return line


def seed() -> list[str]:
    call = seed_call()
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return ["選考のデモデータ: 作成しませんでした（職員アカウントがありません）"]
    found = {spec["company"]["name"]: _find(call, spec["company"]) for spec in DEMO_APPLICATIONS}
    intake_open = intake_state(call).open
    if not intake_open and not any(found.values()):
        return ["選考のデモデータ: 作成しませんでした（募集回の受付期間外です）"]
    last_mail = OutboundMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    lines = ["選考のデモデータ（職員 /staff/、審査 /staff/screening/、委員会 /staff/committee/）:"]
    for spec in DEMO_APPLICATIONS:
        application = found[spec["company"]["name"]]
        if application is None and intake_open:
            application = _create(call, spec, staff)
        lines.append(_line(application) if application is not None else
                     f"  {spec['company']['name']}: 作成しませんでした（募集回の受付期間外です）")
    meeting = _meeting(call, staff)
    if meeting is not None:
        when = timezone.localtime(meeting.scheduled_at)
        lines.append(f"  委員会: {meeting.title}（{when.month}月{when.day}日 {when:%H:%M}、"
                     f"{meeting.get_status_display()}、審議案件 {meeting.agenda.count()} 件、"
                     f"委員長 {meeting.chair.username}、定足数 {meeting.quorum}）")
    _keep_mail_local(last_mail)
    return lines


def pipeline_summary() -> list[str]:
    """After every room has seeded: how many applications of the call are at each stage."""
    call = Call.objects.filter(fiscal_year=2026).first()
    if call is None:
        return []
    counts = dict(Application.objects.filter(call=call).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    parts = [f"{label} {counts[value]}" for value, label in S.choices if counts.get(value)]
    return [f"申込の状態（{call.title}、計 {sum(counts.values())} 件）:",
            *(f"  {part} 件" for part in parts)]

